// Serves one greeting on $PORT, naming the app and the dyno that answered.
const http = require('node:http');
const ms = require('ms');

const port = Number(process.env.PORT || 5000);
const started = Date.now();

const server = http.createServer((req, res) => {
  const uptime = ms(Date.now() - started, { long: true });
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`Hello from node-hello! dyno=${process.env.DYNO || 'local'} uptime=${uptime}\n`);
});

server.listen(port, '0.0.0.0', () => console.log(`node-hello listening on port ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
