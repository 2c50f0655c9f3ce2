#!/usr/bin/env python3
"""Writes N session pages in FOSDEM's event-page markup (the conversion benchmark's template, without
the attachment link, whose fosdem.org address is unreachable here) and a batch request for them.
Usage: make-e2e-pages.py N OUT_DIR ORIGIN [path-to-shared/data]"""
import importlib.util, json, os, re, sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location('make_pages', os.path.join(here, 'make-pages.py'))
pages = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pages)

count, out, origin = int(sys.argv[1]), sys.argv[2], sys.argv[3].rstrip('/')
sessions, abstracts = pages.load(sys.argv[4] if len(sys.argv) > 4 else pages.default_data)
os.makedirs(out, exist_ok=True)
urls = []
for i in range(count):
    s = sessions[i % len(sessions)]
    page = re.sub(r'<h3>Attachments</h3><ul class="event-attachments unstyled">.*?</ul>\n', '', pages.fosdem_page(i, s, abstracts))
    name = 'session-%04d.html' % i
    open(os.path.join(out, name), 'w', encoding='utf-8').write(page)
    urls.append('%s/%s' % (origin, name))
open(os.path.join(out, 'urls.txt'), 'w').write('\n'.join(urls) + '\n')
batch = {'batch_name': 'e2e benchmark', 'jobs': [{'url': u} for u in urls]}
open(os.path.join(out, 'batch.json'), 'w').write(json.dumps(batch))
print(count, 'pages in', out)
