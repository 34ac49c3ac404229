-- Neovim (0.7+) headless as a real LSP client for the replylint language server.
--
-- usage: nvim --headless -u NONE -i NONE -n -c "luafile check_reply.lua" reply.txt
--
-- The server command comes from $REPLYLINT_LSP_CMD (a JSON array, or words split on
-- whitespace), else from $REPLYLINT_PYTHON as `<python> -m replylint_lsp`. The workspace root
-- is the current directory. Prints one machine-readable line per fact, for a test to read:
--   DIAG <lnum> <col> <end_col> <severity> <source> <code> <message>   (0-based, as vim.diagnostic)
--   LENS <lnum> <text>      each code lens Neovim shows (the reply's score), as virtual text
--   ACTION <title>          every code action offered for the RL201 diagnostic
--   LINE <text>             the diagnostic's line after the first quick fix with an edit
--   AFTER <same as DIAG>    the diagnostics once RL201 is gone
--   PASS | FAIL: <reason>   (FAIL exits non-zero)
-- Neovim 0.7 has no vim.lsp.start, keeps extra LSP fields (code, data) in user_data.lsp and
-- only pushes diagnostics, so the server runs in push mode.

local RULE = 'RL201'
local WAIT_MS = 20000

local function out(s)
  io.stdout:write(s .. '\n')
  io.stdout:flush()
end

local client_id

local function stop_client()
  if client_id and vim.lsp.get_client_by_id(client_id) then
    vim.lsp.stop_client(client_id)
    vim.wait(3000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 50)
  end
end

local function server_cmd()
  local raw = os.getenv('REPLYLINT_LSP_CMD')
  if raw and raw:match('%S') then
    if raw:match('^%s*%[') then
      return vim.fn.json_decode(raw)
    end
    return vim.fn.split(raw)
  end
  return { os.getenv('REPLYLINT_PYTHON') or 'python3', '-m', 'replylint_lsp' }
end

local function code_of(d)
  local lsp = d.user_data and d.user_data.lsp or {}
  return d.code or lsp.code
end

local function one_line(s)
  return (tostring(s):gsub('[\r\n]+', ' '))
end

local function describe(d)
  return string.format('%d %d %d %d %s %s %s', d.lnum, d.col, d.end_col, d.severity,
    tostring(d.source), tostring(code_of(d)), one_line(d.message))
end

local function find(bufnr, code)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if code_of(d) == code then return d end
  end
end

-- Rebuild the LSP Diagnostic from a vim.diagnostic one. `data` must go back to the server:
-- replylint builds its code actions from Diagnostic.data alone.
local function to_lsp(d)
  local lsp = d.user_data and d.user_data.lsp or {}
  -- vim.diagnostic severities (1 = ERROR … 4 = HINT) are numbered as LSP's DiagnosticSeverity
  return {
    range = { start = { line = d.lnum, character = d.col },
              ['end'] = { line = d.end_lnum, character = d.end_col } },
    severity = d.severity,
    message = d.message,
    source = d.source,
    code = code_of(d),
    codeDescription = lsp.codeDescription,
    tags = lsp.tags,
    relatedInformation = lsp.relatedInformation,
    data = lsp.data,
  }
end

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  if vim.api.nvim_buf_get_name(bufnr) == '' then
    return 'no file given: nvim ... -c "luafile check_reply.lua" reply.txt'
  end
  local cmd = server_cmd()
  client_id = vim.lsp.start_client({
    name = 'replylint',
    cmd = cmd,
    root_dir = vim.fn.getcwd(),
    on_exit = function(code, signal)
      if code ~= 0 then io.stderr:write(string.format('server exited: code %d, signal %d\n', code, signal)) end
    end,
  })
  if not client_id then return 'vim.lsp.start_client returned nil for ' .. table.concat(cmd, ' ') end
  if not vim.lsp.buf_attach_client(bufnr, client_id) then return 'vim.lsp.buf_attach_client failed' end

  if not vim.wait(WAIT_MS, function() return find(bufnr, RULE) ~= nil end, 50) then
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do out('DIAG ' .. describe(d)) end
    return string.format('no %s diagnostic within %d ms', RULE, WAIT_MS)
  end
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do out('DIAG ' .. describe(d)) end

  -- The reply's score: Neovim's own code lens support asks for the lenses and shows them as
  -- virtual text; read that text back from the buffer.
  vim.lsp.codelens.refresh()
  local lens_ns = vim.lsp.codelens.__namespaces[client_id]
  local function shown_lenses()
    return vim.api.nvim_buf_get_extmarks(bufnr, lens_ns, 0, -1, { details = true })
  end
  if not vim.wait(WAIT_MS, function() return #shown_lenses() > 0 end, 50) then
    return string.format('no code lens shown within %d ms', WAIT_MS)
  end
  for _, mark in ipairs(shown_lenses()) do
    local text = {}
    for _, chunk in ipairs(mark[4].virt_text or {}) do table.insert(text, chunk[1]) end
    out('LENS ' .. mark[2] .. ' ' .. one_line(table.concat(text)))
  end

  local diag = find(bufnr, RULE)
  local lsp_diag = to_lsp(diag)
  if lsp_diag.data == nil then return RULE .. ' diagnostic has no data in user_data.lsp' end
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    range = lsp_diag.range,
    context = { diagnostics = { lsp_diag } },
  }
  local responses, err = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, WAIT_MS)
  if not responses then return 'textDocument/codeAction: ' .. tostring(err) end
  local fix
  for _, response in pairs(responses) do
    if response.err then return 'textDocument/codeAction error: ' .. vim.inspect(response.err) end
    for _, action in ipairs(response.result or {}) do
      out('ACTION ' .. one_line(action.title))
      if fix == nil and action.edit ~= nil then fix = action end
    end
  end
  if not fix then return 'no code action with an edit for ' .. RULE end

  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(fix.edit, client and client.offset_encoding or 'utf-16')
  out('LINE ' .. vim.api.nvim_buf_get_lines(bufnr, diag.lnum, diag.lnum + 1, false)[1])

  -- Neovim sends didChange for the edit by itself; the server re-lints and re-publishes.
  if not vim.wait(WAIT_MS, function() return find(bufnr, RULE) == nil end, 50) then
    return string.format('%s still reported %d ms after the quick fix', RULE, WAIT_MS)
  end
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do out('AFTER ' .. describe(d)) end
  out('PASS')
end

local ok, failure = pcall(run)
if not ok then failure = 'error: ' .. one_line(failure) end
if failure then
  out('FAIL: ' .. failure)
  pcall(stop_client)
  vim.cmd('cquit 1')
else
  stop_client()
  vim.cmd('qall!')
end
