/** Baseline for the host benchmark: hello on bare node:http. */
import { createServer } from 'node:http';

createServer((_req, res) => {
  const body = JSON.stringify({ message: 'xin chào' });
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}).listen(Number(process.env.PORT ?? 8080), '127.0.0.1');
