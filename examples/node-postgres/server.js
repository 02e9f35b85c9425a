// Keeps notes in the app's Postgres add-on: POST /notes adds the request body, GET /notes lists them.
const http = require('node:http');
const { Pool } = require('pg');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 4 });
const port = Number(process.env.PORT || 5000);

// Created on first use, and tried again after a failure, so a database that is briefly away does not crash the dyno.
let table = null;
const ensureTable = () =>
  (table ??= pool
    .query('CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL, created_at timestamptz DEFAULT now())')
    .catch((e) => {
      table = null;
      throw e;
    }));

const readBody = (req) =>
  new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

const server = http.createServer(async (req, res) => {
  try {
    await ensureTable();
    if (req.url === '/notes' && req.method === 'POST') {
      const { rows } = await pool.query('INSERT INTO notes (body) VALUES ($1) RETURNING id', [await readBody(req)]);
      res.writeHead(201, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify({ id: rows[0].id }));
    }
    if (req.url === '/notes') {
      const { rows } = await pool.query('SELECT id, body FROM notes ORDER BY id');
      res.writeHead(200, { 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(rows));
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(`node-postgres on ${process.env.DYNO || 'local'}\n`);
  } catch (e) {
    res.writeHead(500, { 'Content-Type': 'text/plain' });
    res.end(`database error: ${e.message}\n`);
  }
});

server.listen(port, '0.0.0.0', () => console.log(`node-postgres listening on port ${port}`));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
