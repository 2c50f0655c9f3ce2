#!/usr/bin/env python3
"""Builds the benchmark corpus: session pages in FOSDEM's event-page markup from real FOSDEM 2025
session data (shared/data/fosdem-2025-sessions.json) with real abstracts from the rC3 pretalx export
(Markdown turned into simple HTML), plus the golden test pages (platforms and readability fallback)."""
import html, json, os, re, shutil, sys

root = os.path.dirname(os.path.abspath(__file__))
default_data = os.path.join(root, '..', '..', 'shared', 'data')


def load(data):
    """The FOSDEM 2025 sessions, and the long rC3 abstracts that fill their pages."""
    sessions = json.load(open(os.path.join(data, 'fosdem-2025-sessions.json'), encoding='utf-8'))
    rc3 = json.load(open(os.path.join(data, 'schedules', 'pretalx-export-rc3.schedule.json'), encoding='utf-8'))
    abstracts = [e.get('abstract') or '' for d in rc3['schedule']['conference']['days'] for r in d['rooms'].values() for e in r]
    return sessions, [a for a in abstracts if len(a) > 300]


def md_to_html(text):
    blocks = [b.strip() for b in text.replace('\r\n', '\n').split('\n\n') if b.strip()]
    parts = []
    for b in blocks:
        lines = b.split('\n')
        if all(l.lstrip().startswith(('- ', '* ')) for l in lines):
            parts.append('<ul>' + ''.join('<li>%s</li>' % html.escape(l.lstrip()[2:]) for l in lines) + '</ul>')
        else:
            t = html.escape(' '.join(lines))
            t = re.sub(r'\*\*(.+?)\*\*', r'<strong>\1</strong>', t)
            t = re.sub(r'(https?://[^\s<)]+)', r'<a href="\1">\1</a>', t)
            parts.append('<p>%s</p>' % t)
    return '\n'.join(parts)


def fosdem_page(i, s, abstracts):
    """Session i as a page in FOSDEM's event-page markup."""
    speakers = ''.join('<tr><td></td><td><a href="/2025/schedule/speaker/%s/">%s</a></td></tr>' % (re.sub(r'\W+', '_', p.lower()), html.escape(p)) for p in (s.get('speakers') or []))
    day = '2025-02-01' if s['day'] == 'Saturday' else '2025-02-02'
    page = f'''<!-- source: {s['url']} -->
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>FOSDEM 2025 - {html.escape(s['session'])}</title>
<link rel="stylesheet" href="/2025/assets/style/fosdem.css"></head>
<body class="schedule-event"><div id="header"><nav><ul><li><a href="/2025/">FOSDEM 2025</a></li><li><a href="/2025/schedule/">Schedule</a></li><li><a href="/2025/news/">News</a></li></ul></nav></div>
<div id="main"><div id="pagetitles"><h1>{html.escape(s['session'])}</h1></div>
<ul class="side-box">
<li><i class="icon-road"></i> <strong>Track</strong>: <a href="/2025/schedule/track/x/">{html.escape(s.get('track') or '')}</a></li>
<li><i class="icon-home"></i> <strong>Room</strong>: <a href="/2025/schedule/room/r/">Room {i % 12}</a></li>
<li><i class="icon-calendar"></i> <strong>Day</strong>: <a href="/2025/schedule/day/{s['day'].lower()}/">{s['day']}</a></li>
<li><i class="icon-play"></i> <strong>Start</strong>: <a class="value-title" title="{day}T{s.get('starttime') or '09:00'}:00+01:00">{s.get('starttime') or '09:00'}</a></li>
<li><i class="icon-stop"></i> <strong>End</strong>: <a class="value-title" title="{day}T{s.get('endtime') or '09:30'}:00+01:00">{s.get('endtime') or '09:30'}</a></li>
</ul><br style="clear: both;"/>
<div class="event-blurb"><div class="event-abstract">{md_to_html(abstracts[i % len(abstracts)])}</div></div>
<div class="video"><video preload="none" controls="controls" width="300"><source src="{html.escape(s.get('video_url') or '')}" type='video/webm'/></video></div>
<h3>Speakers</h3><table><tbody>{speakers}</tbody></table>
<h3>Attachments</h3><ul class="event-attachments unstyled"><li><a href="{html.escape(s.get('attachments_url') or '')}">Slides (pdf)</a></li></ul>
<h3>Links</h3><ul><li><a href="https://chat.fosdem.org/">Chat room(web)</a></li><li><a href="https://pretalx.fosdem.org/fosdem-2025/talk/feedback/">Submit Feedback</a></li></ul>
</div><div id="footer"><p>FOSDEM VZW</p></div></body></html>
'''
    return page


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else default_data
    out = os.path.join(root, 'pages')
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    sessions, abstracts = load(data)
    for i, s in enumerate(sessions[:60]):
        slug = s['url'].rstrip('/').split('/')[-1]
        open(os.path.join(out, 'fosdem-%02d-%s.html' % (i, slug[:40])), 'w', encoding='utf-8').write(fosdem_page(i, s, abstracts))
    golden = os.path.join(root, '..', 'EventMonitor.Tests', 'TestData', 'Conversion')
    for f in sorted(os.listdir(golden)):
        if f.endswith('.html') or f.endswith('.expected.md'):
            shutil.copy(os.path.join(golden, f), os.path.join(out, f))
    print(len([f for f in os.listdir(out) if f.endswith('.html')]), 'pages in', out)


if __name__ == '__main__':
    main()
