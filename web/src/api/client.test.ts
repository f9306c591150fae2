import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, ApiError, entryQueryParams, errorFromText, isAbortError } from './client';

// A small real HTTP server: records each request and answers per path.
interface Seen {
  method: string;
  url: string;
  body: string;
  headers: IncomingMessage['headers'];
}
let server: Server;
let base = '';
const seen: Seen[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      const u = new URL(req.url ?? '/', 'http://x');
      const json = (status: number, v: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(v));
      };
      if (u.pathname === '/api/health') return json(200, { status: 'ok', version: '1.2.3' });
      if (u.pathname === '/api/files/recent') return json(200, null);
      if (u.pathname === '/api/parse/s1/entries') {
        if (u.searchParams.get('regex') === 'true' && u.searchParams.get('search') === '(') {
          return json(400, { error: 'search: invalid regex: missing )', code: 'BAD_REGEX' });
        }
        return json(200, { entries: [], page: Number(u.searchParams.get('page')), pageSize: 200, total: 42 });
      }
      if (u.pathname === '/api/parse/s1/index-of-time') return json(200, { index: 7 });
      if (u.pathname === '/api/parse/s1/slow') return setTimeout(() => json(200, {}), 2000);
      if (u.pathname === '/api/parse') return json(202, { id: 's9', status: 'pending' });
      if (u.pathname === '/api/parse/gone/status') return json(404, { error: 'no session gone', code: 'NOT_FOUND' });
      if (u.pathname === '/api/plain') {
        res.writeHead(502);
        return res.end('<html>bad gateway</html>');
      }
      json(404, { error: `unknown path ${u.pathname}`, code: 'NOT_FOUND' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('entryQueryParams', () => {
  it('omits absent filters and the default sort', () => {
    expect(entryQueryParams({}).toString()).toBe('');
    expect(entryQueryParams({ sort: 'timestamp', order: 'asc' }).toString()).toBe('');
  });

  it('writes every filter with the API parameter names', () => {
    const p = entryQueryParams({
      search: 'a b',
      regex: true,
      caseSensitive: true,
      exclude: 'x',
      categories: ['IO', ''],
      types: ['boolean', 'integer'],
      signals: ['d1::s1', 'd2::s2'],
      devices: ['d3'],
      start: 1000,
      end: 2000.5,
      changedOnly: true,
      sort: 'value',
      order: 'desc',
    });
    expect(Object.fromEntries(p)).toEqual({
      search: 'a b',
      regex: 'true',
      caseSensitive: 'true',
      exclude: 'x',
      category: 'IO,',
      type: 'boolean,integer',
      signals: 'd1::s1,d2::s2',
      devices: 'd3',
      start: '1000',
      end: '2000.5',
      changedOnly: 'true',
      sort: 'value',
      order: 'desc',
    });
  });

  it('drops regex without a search and caseSensitive without any text', () => {
    expect(entryQueryParams({ regex: true, caseSensitive: true }).toString()).toBe('');
  });
});

describe('Api against a real HTTP server', () => {
  it('GETs health', async () => {
    const a = new Api({ baseUrl: base });
    expect(await a.health()).toEqual({ status: 'ok', version: '1.2.3' });
  });

  it('turns a null recent list into []', async () => {
    expect(await new Api({ baseUrl: base }).recentFiles()).toEqual([]);
  });

  it('requests entries with page, pageSize and filters', async () => {
    const a = new Api({ baseUrl: base });
    const r = await a.entries('s1', { search: 'conv', types: ['boolean'] }, 3, 200);
    expect(r.total).toBe(42);
    const last = seen[seen.length - 1]!;
    const u = new URL(last.url, 'http://x');
    expect(u.pathname).toBe('/api/parse/s1/entries');
    expect(u.searchParams.get('page')).toBe('3');
    expect(u.searchParams.get('pageSize')).toBe('200');
    expect(u.searchParams.get('search')).toBe('conv');
    expect(u.searchParams.get('type')).toBe('boolean');
  });

  it('carries the server sentence of a 400 in ApiError', async () => {
    const a = new Api({ baseUrl: base });
    const err = await a.entries('s1', { search: '(', regex: true }, 1, 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe('search: invalid regex: missing )');
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).code).toBe('BAD_REGEX');
  });

  it('reports a non-JSON error by its status', async () => {
    const a = new Api({ baseUrl: base });
    const err = (await a.call('GET', '/plain').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.message).toMatch(/502/);
  });

  it('sends index-of-time with ts and the filter', async () => {
    const a = new Api({ baseUrl: base });
    expect(await a.indexOfTime('s1', 1758546000199, { changedOnly: true, sort: 'signalName', order: 'desc' })).toBe(7);
    const u = new URL(seen[seen.length - 1]!.url, 'http://x');
    expect(u.searchParams.get('ts')).toBe('1758546000199');
    expect(u.searchParams.get('changedOnly')).toBe('true');
    expect(u.searchParams.get('sort')).toBe('signalName');
    expect(u.searchParams.get('order')).toBe('desc');
  });

  it('POSTs parse as {fileId} or {fileIds}', async () => {
    const a = new Api({ baseUrl: base });
    await a.parse(['f1']);
    expect(JSON.parse(seen[seen.length - 1]!.body)).toEqual({ fileId: 'f1' });
    expect(seen[seen.length - 1]!.headers['content-type']).toBe('application/json');
    await a.parse(['f1', 'f2']);
    expect(JSON.parse(seen[seen.length - 1]!.body)).toEqual({ fileIds: ['f1', 'f2'] });
  });

  it('uploads raw bodies with name and Content-Encoding when gzip', async () => {
    const a = new Api({ baseUrl: base });
    await a.uploadRaw('my log.txt', new Blob(['hello']), { gzip: true }).catch(() => undefined);
    const last = seen[seen.length - 1]!;
    expect(last.method).toBe('POST');
    expect(new URL(last.url, 'http://x').searchParams.get('name')).toBe('my log.txt');
    expect(last.headers['content-encoding']).toBe('gzip');
    expect(last.headers['content-type']).toBe('application/octet-stream');
    expect(last.body).toBe('hello');
  });

  it('uploads text as base64 JSON', async () => {
    const a = new Api({ baseUrl: base });
    await a.uploadText('p.log', 'héllo').catch(() => undefined);
    const body = JSON.parse(seen[seen.length - 1]!.body) as { name: string; data: string };
    expect(body.name).toBe('p.log');
    expect(Buffer.from(body.data, 'base64').toString('utf8')).toBe('héllo');
  });

  it('aborts a request when its signal fires', async () => {
    const a = new Api({ baseUrl: base });
    const ctl = new AbortController();
    const p = a.call('GET', '/parse/s1/slow', undefined, ctl.signal);
    setTimeout(() => ctl.abort(), 20);
    const err = await p.catch((e: unknown) => e);
    expect(isAbortError(err)).toBe(true);
  });

  it('stops watching a session that is gone, with the server sentence', async () => {
    const a = new Api({ baseUrl: base });
    const err = await a.watchSession('gone', () => undefined).catch((e: unknown) => e);
    expect((err as ApiError).status).toBe(404);
    expect((err as ApiError).message).toBe('no session gone');
  });

  it('encodes ids in paths', () => {
    expect(new Api({ baseUrl: 'http://h/' }).url('/parse/a b/entries')).toBe('http://h/api/parse/a b/entries');
    const a = new Api({ baseUrl: base });
    expect(a.exportUrl('x/y', { search: 's' })).toBe(`${base}/api/parse/x%2Fy/export?search=s&format=csv`);
  });
});

describe('errorFromText', () => {
  it('prefers the JSON sentence', () => {
    const e = errorFromText(400, 'Bad Request', '{"error":"pageSize: not a number","code":"BAD_PARAM"}');
    expect(e.message).toBe('pageSize: not a number');
    expect(e.code).toBe('BAD_PARAM');
  });
  it('uses short plain text', () => {
    expect(errorFromText(413, '', 'upload too large').message).toBe('upload too large');
  });
});
