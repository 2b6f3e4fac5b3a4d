/**
 * @module The ceiling: a bare node:http server that reads each AWS JSON 1.1 request body and answers
 * `{}`, so the benchmark knows how fast this machine serves the request shape with no work at all.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  // Like the real server, it reads the whole body before answering, so the ceiling pays the same I/O.
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const ok = req.method === 'POST' && req.url === '/' && typeof req.headers['x-amz-target'] === 'string';
    const body = ok ? '{}' : '{"__type":"UnknownOperationException"}';
    res.writeHead(ok ? 200 : 400, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ url: `http://127.0.0.1:${port}`, msg: 'ceiling listening' }));
});

process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
