import re
import sys
import xml.etree.ElementTree as ET
import zipfile

NS={'m':'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}
def read(path):
    z=zipfile.ZipFile(path)
    ss=[]
    if 'xl/sharedStrings.xml' in z.namelist():
        for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si',NS):
            ss.append(''.join(t.text or '' for t in si.iter(f"{{{NS['m']}}}t")))
    sh=ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
    rows=[]
    for r in sh.iter(f"{{{NS['m']}}}row"):
        row={}
        for c in r.findall('m:c',NS):
            col=re.match(r'[A-Z]+',c.get('r')).group()
            v=c.find('m:v',NS)
            t=c.get('t')
            if t=='s':
                val=ss[int(v.text)]
            elif t=='inlineStr':
                val=''.join(x.text or '' for x in c.iter(f"{{{NS['m']}}}t"))
            else:
                val=v.text if v is not None else None
            row[col]=val
        rows.append(row)
    return rows
if __name__=='__main__':
    rows=read(sys.argv[1])
    print(len(rows))
    for r in rows[:4]:
        print(r)
