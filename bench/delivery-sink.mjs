// A webhook destination for the delivery benchmark: parses each JSON body (one event or an array),
// counts events, answers 200 after `delayMs`. GET /stats returns {events, requests, first, last}.
// Usage: node bench/delivery-sink.mjs <port> [delayMs]
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 4000);
const delayMs = Number(process.argv[3] ?? 0);
const stats = { events: 0, requests: 0, first: 0, last: 0 };
createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const n = Array.isArray(body) ? body.length : 1;
    const answer = () => {
      const now = Date.now();
      if (stats.first === 0) stats.first = now;
      stats.last = now;
      stats.events += n;
      stats.requests++;
      res.writeHead(200);
      res.end();
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
}).listen(port, '127.0.0.1');
