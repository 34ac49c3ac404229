"""The trained tone model (src/replylint/engine/tone, docs/tone-model.md): shipped, lazy, switchable,
marked as the model's, never doubling a rule, and trained reproducibly."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import replylint
from replylint.engine.config import Config
from replylint.engine.tone import DEFAULT_ON, FAMILIES, MODEL_DIR, is_model_finding
from replylint.engine.tone.classifier import MODEL_SUBDIR, THRESHOLDS_FILE, bundled_model
from replylint.engine.tone.data import Item
from replylint.engine.tone.findings import model_codes

ROOT = Path(__file__).resolve().parents[1]
BLAME = "If you had read the email you would have known."
ON = {"tone-model": True}


@pytest.fixture(scope="module")
def model():
    loaded = bundled_model()
    assert loaded is not None, "the model is missing: run python -m replylint.engine.tone.train"
    return loaded


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch, model):
    """The bundled model with every family on at 0.3: these tests check the plumbing, not the
    thresholds (which move whenever the model is retrained)."""
    from replylint.engine.tone import findings
    from replylint.engine.tone.classifier import ToneModel

    low = ToneModel(model.nlp, model.labels, dict.fromkeys(model.labels, 0.3))
    monkeypatch.setattr(findings, "bundled_model", lambda: low)
    return low


def test_the_model_ships_inside_the_package_within_25_mb(model) -> None:
    package = ROOT / "src" / "replylint"
    assert MODEL_DIR.resolve().is_relative_to(package.resolve())  # hatch packages src/replylint whole
    size = sum(p.stat().st_size for p in MODEL_DIR.rglob("*") if p.is_file())
    assert size <= 25_000_000
    assert set(model.labels) == set(FAMILIES)
    metrics = json.loads((MODEL_DIR / THRESHOLDS_FILE).read_text(encoding="utf-8"))
    assert set(metrics["thresholds"]) == set(FAMILIES) and metrics["seed"] == 14


def test_the_model_puts_clear_cases_in_their_family(model) -> None:
    from replylint.engine.pipelines import pipeline

    cases = {
        BLAME: "blame",
        "We can't refund that, it is not possible.": "cant-do",
        "Sorry, that is against our company policy.": "policy-wall",
        "As I already explained to you twice, calm down and read what I wrote.": "condescension",
        "It's only five dollars, I don't see what the problem is.": "dismissive",
        "You're lucky we didn't charge you for it this time.": "last-word",
        "That's not my department, call the bank.": "deflection",
        "I'm sorry you feel that way.": "non-apology",
    }
    docs = [pipeline("en")(text.lower()) for text in cases]
    for (text, family), scores in zip(cases.items(), model.score_texts(docs), strict=True):
        assert max(scores, key=scores.get) == family, (text, scores)


def test_the_switch_turns_the_model_off_and_on(eager) -> None:
    select = {"select": ["tone-blame"]}  # the model's blame findings only: no rule can answer for it
    assert replylint.check(BLAME, lang="en", config={**select, "tone-model": False}) == []
    found = replylint.check(BLAME, lang="en", config={**select, **ON})
    assert [f.name for f in found] == ["tone-blame"]
    assert Config().tone_model is DEFAULT_ON
    assert Config.from_mapping({"tone-model": True}).tone_model is True


def test_model_findings_are_marked_and_carry_no_rewrite(eager) -> None:
    [finding] = replylint.check(BLAME, lang="en", config={"select": ["RL399"], **ON})
    assert is_model_finding(finding.name) and finding.rule == model_codes()["blame"] == "RL399"
    assert finding.family == "blame" and finding.suggestions == []
    assert finding.message.startswith("The tone model is ") and "% sure this reads as blame" in finding.message
    assert "not a rule" in finding.message and finding.why
    assert finding.matched == BLAME and (finding.start, finding.end) == (0, len(BLAME))


def test_a_rule_of_the_same_family_on_the_same_span_wins(eager) -> None:
    text = "You should have called us sooner."
    alone = replylint.check(text, lang="en", config={"select": ["tone-blame"], **ON})
    assert [f.name for f in alone] == ["tone-blame"]  # the model does see blame here
    found = replylint.check(text, lang="en", config=ON)
    assert "should-have" in {f.name for f in found} and "tone-blame" not in {f.name for f in found}
    others = ("Why didn't you read the manual? It is your fault.", "No, we can't do that. That's our policy.")
    for text in (BLAME, *others):
        found = replylint.check(text, lang="en", config=ON)
        rules = [f for f in found if not is_model_finding(f.name)]
        for tone in (f for f in found if is_model_finding(f.name)):
            assert not any(r.family == tone.family and r.start < tone.end and tone.start < r.end for r in rules)


def test_the_model_is_loaded_only_when_used() -> None:
    code = ("import replylint; from replylint.engine.tone.classifier import bundled_model; "
            "replylint.check('No, that is not possible.', lang='en', config={'tone-model': False}); "
            "print(bundled_model.cache_info().currsize); "
            "replylint.check('No, that is not possible.', lang='en', config={'tone-model': True}); "
            "print(bundled_model.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["0", "1"], done.stderr


def test_a_bad_switch_value_is_a_config_error() -> None:
    with pytest.raises(replylint.errors.ConfigError, match="tone-model: must be true or false"):
        Config.from_mapping({"tone-model": "yes"})


def test_training_is_deterministic() -> None:
    from replylint.engine.pipelines import pipeline
    from replylint.engine.tone.classifier import ToneModel
    from replylint.engine.tone.train import train

    items = [Item(text, "en", cats, "test") for text, cats in [
        ("You should have read the manual.", ("blame",)), ("It is your fault.", ("blame",)),
        ("We cannot refund that.", ("cant-do",)), ("That is not possible.", ("cant-do",)),
        ("Thanks, the refund is on its way.", ()), ("Your parcel arrives on Friday.", ()),
    ]]
    probes = [pipeline("en")(t) for t in ("you should have read it.", "we cannot do that.", "thanks!")]
    scores = []
    for _ in range(2):
        nlp = train(items, seed=3, epochs=3, length=2**12, labels=("blame", "cant-do"))
        scores.append(ToneModel(nlp, ("blame", "cant-do"), {}).score_texts(probes))
    assert scores[0] == scores[1]
    assert scores[0][0]["blame"] > scores[0][0]["cant-do"] and scores[0][1]["cant-do"] > scores[0][1]["blame"]


def test_the_training_data_and_metrics_are_committed() -> None:
    for name in ("train.jsonl", "heldout.jsonl"):
        rows = (ROOT / "corpus" / "tone" / name).read_text(encoding="utf-8").splitlines()
        assert rows and all(set(json.loads(r)["cats"]) <= set(FAMILIES) for r in rows[:200])
    assert (MODEL_DIR / MODEL_SUBDIR / "meta.json").is_file()


def test_the_editor_setting_lays_the_switch_over_the_config_file() -> None:
    from replylint_lsp.settings import parse_settings

    on, problems = parse_settings({"replylint": {"toneModel": True}})
    assert problems == [] and on.apply_to(Config(tone_model=False)).tone_model is True
    unset, _ = parse_settings({"replylint": {"toneModel": None}})
    assert unset.apply_to(Config(tone_model=True)).tone_model is True  # null: the config file decides
    _, problems = parse_settings({"replylint": {"toneModel": "yes"}})
    assert problems == ["settings: toneModel: expected true or false, got 'yes'"]
    manifest = json.loads((ROOT / "lsp" / "vscode" / "package.json").read_text(encoding="utf-8"))
    assert manifest["contributes"]["configuration"]["properties"]["replylint.toneModel"]["default"] is None


def test_the_model_at_run_time_imports_no_outer_layer() -> None:
    from test_architecture import OUTER_LIBRARIES, imports_of, known_modules, layer_of

    for name in ("__init__", "classifier", "findings"):
        for module in imports_of(ROOT / "src" / "replylint" / "engine" / "tone" / f"{name}.py"):
            assert not module.startswith(OUTER_LIBRARIES), f"tone/{name}.py imports {module}"
            if module in known_modules():
                assert layer_of(module) in ("engine", "ground"), f"tone/{name}.py imports {module}"
