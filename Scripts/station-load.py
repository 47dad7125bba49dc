#!/usr/bin/env python3
"""Load client for Scripts/bench-station.sh: posts N distinct paSendRTV2 receipts (made from the real
sample in Tests/QuadraKitTests/Fixtures) to a station over loopback from C concurrent keep-alive
connections, plus resends (duplicates), conflicts (same receiptId, other content) and receipts for a
creditor not served. A request whose connection fails (the station killed) is sent again until it
gets an answer, bounded in attempts, as pagoPA does. Writes every answer to a JSON file.

usage: station-load.py URL SAMPLE N CONCURRENCY ANSWERS.json
"""
import asyncio, json, re, sys, time

url, sample, n, concurrency, answers_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
host, port, path = re.match(r'http://([^:/]+):(\d+)(/.*)?', url).groups()
port, path = int(port), path or '/'
template = open(sample).read().replace('77777777777', '80000000002')
envelope = ('<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
            '<soapenv:Header/><soapenv:Body>%s</soapenv:Body></soapenv:Envelope>')


def receipt(i, description='test', creditor=None):
    iuv = '31%015d' % i
    text = (template.replace('c110729d258c4ab1b765fe902aae41d6', '%032x' % (i + 1))
            .replace('311111111112222222', '3' + iuv).replace('11111111112222222', iuv)
            .replace('<description>test</description>', '<description>%s</description>' % description))
    if creditor:
        text = text.replace('80000000002', creditor).replace('77777777778', creditor)
    return envelope % text.split('?>', 1)[-1]


jobs = []
for i in range(n):
    jobs.append(('%032x' % (i + 1), 'new', receipt(i)))
    if i % 20 == 0:
        jobs.append(('%032x' % (i + 1), 'resend', receipt(i)))
    if i % 50 == 0:
        jobs.append(('%032x' % (i + 1), 'conflict', receipt(i, description='altro')))
for i in range(n, n + n // 100):
    jobs.append(('%032x' % (i + 1), 'not-served', receipt(i, creditor='12345678901')))
# Resends and conflicts go after the first delivery in the queue, far enough to be a retry, not a race.
jobs.sort(key=lambda job: (job[1] != 'new' and job[1] != 'not-served', ))

answers = []
latencies = []
queue = asyncio.Queue()
for job in jobs:
    queue.put_nowait(job)


async def exchange(reader, writer, body):
    data = body.encode()
    writer.write(('POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: text/xml; charset=utf-8\r\nSOAPAction: paSendRTV2\r\n'
                  'Content-Length: %d\r\n\r\n' % (path, host, len(data))).encode() + data)
    await writer.drain()
    status = await reader.readline()
    if not status:
        raise ConnectionError('closed')
    length = 0
    while True:
        line = await reader.readline()
        if line in (b'\r\n', b''):
            break
        name, _, value = line.decode().partition(':')
        if name.lower() == 'content-length':
            length = int(value)
    return int(status.split()[1]), (await reader.readexactly(length)).decode()


async def worker():
    reader = writer = None
    while True:
        try:
            receipt_id, kind, body = queue.get_nowait()
        except asyncio.QueueEmpty:
            break
        for attempt in range(1200):
            try:
                if writer is None:
                    reader, writer = await asyncio.open_connection(host, port)
                started = time.perf_counter()
                status, text = await exchange(reader, writer, body)
                latencies.append(time.perf_counter() - started)
                fault = re.search(r'<faultCode>([^<]+)</faultCode>', text)
                answers.append({'receiptId': receipt_id, 'kind': kind, 'status': status,
                                'outcome': fault.group(1) if fault else ('OK' if '<outcome>OK</outcome>' in text else 'NONE')})
                break
            except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError, IndexError):
                if writer is not None:
                    writer.close()
                reader = writer = None
                await asyncio.sleep(0.05)
        else:
            answers.append({'receiptId': receipt_id, 'kind': kind, 'status': 0, 'outcome': 'UNANSWERED'})
    if writer is not None:
        writer.close()


async def main():
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    accepted = sum(1 for a in answers if a['outcome'] == 'OK')
    print('%d requests (%d receipts accepted) in %.1f s: %.0f requests/s, %.0f receipts/s; latency ms p50 %.1f p90 %.1f p99 %.1f max %.1f'
          % (len(answers), accepted, wall, len(answers) / wall, accepted / wall, pick(0.5), pick(0.9), pick(0.99), pick(1.0)))
    json.dump(answers, open(answers_path, 'w'))

asyncio.run(main())
