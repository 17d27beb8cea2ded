// The baseline: a bare Node.js HTTP server that only parses the JSON body and answers 200.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 3999);
createServer((req, res) => {
  if (req.method === 'GET') {
    res.writeHead(200);
    res.end('ok');
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200);
    } catch {
      res.writeHead(400);
    }
    res.end();
  });
}).listen(port, '127.0.0.1');
