// The API contract cannot drift: docs/openapi.json is a valid OpenAPI 3.0.3
// document; its paths and methods are exactly the routes the server registers
// in src/http/*.cc; and the JSON shapes of api/types.ts and api/map_api.ts
// have the property names and required-ness of its component schemas.
//
// Conventions this test relies on (keep them when adding a route or a type):
// - A route (under /api/, or /metrics) is registered in a src/http/*.cc file
//   (not *_test.cc) by a call whose first two arguments are the literal method
//   and the literal path,
//   e.g. router_.Add("GET", "/api/files/:id", ...) or
//   OnSession("POST", "/api/parse/:id/waveform", ...). ":name" in a route is
//   "{name}" in the document.
// - Every exported interface of types.ts and map_api.ts is a JSON shape with a
//   component schema of the same name (kSchemaOf names the exceptions), except
//   the client-only ones in kClientOnly. A schema property is required
//   exactly when the interface's property has no "?". Shapes the client sends
//   (kRequests) may require more than the schema does.

import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');

/** An OpenAPI schema object (only what this test reads). */
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
}

interface Document {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, Schema> };
}

/** Interfaces whose schema has another name. */
const kSchemaOf: Record<string, string> = { TransitionCondition: 'Condition', TransitionRuleRequest: 'TransitionRule' };
/** Shapes the client sends: every property the schema requires must be required here, more may be. */
const kRequests = new Set(['TransitionCondition', 'TransitionRuleRequest']);
/** Interfaces that are not JSON of the API. */
const kClientOnly = new Set(['EntryQuery' /* filters, sent as query parameters (client.ts entryQueryParams) */]);

const kMethods = ['get', 'post', 'put', 'delete', 'patch'];

/** What the validator takes. */
type Spec = Parameters<Validator['validate']>[0];

function loadDocument(): Document {
  return JSON.parse(readFileSync(join(repo, 'docs', 'openapi.json'), 'utf8')) as Document;
}

/** "METHOD /api/path" of every route registered in the C++ sources given as texts. */
export function registeredRoutes(sources: string[]): string[] {
  const out = new Set<string>();
  const re = /\b\w+\(\s*"(GET|POST|PUT|DELETE|PATCH)"\s*,\s*"(\/api\/[^"]*|\/metrics)"/g;
  for (const text of sources) {
    for (let m = re.exec(text); m; m = re.exec(text)) out.add(`${m[1]} ${m[2]!.replace(/:(\w+)/g, '{$1}')}`);
  }
  return [...out].sort();
}

/** "METHOD /api/path" of every operation of the document. */
export function documentedRoutes(doc: Document): string[] {
  const out: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of Object.keys(item)) if (kMethods.includes(m)) out.push(`${m.toUpperCase()} ${path}`);
  }
  return out.sort();
}

/** The exported interfaces of a TypeScript source text. */
export function interfacesOf(text: string, fileName = 'x.ts'): Map<string, ts.InterfaceDeclaration> {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const out = new Map<string, ts.InterfaceDeclaration>();
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st) && st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      out.set(st.name.text, st);
    }
  }
  return out;
}

/**
 * Differences between an interface's members and a schema: property names,
 * required-ness, and the same for inline object types, arrays and records
 * inside them. References to the interfaces in `known` must point at their
 * schemas. `request`: the interface may require more than the schema.
 */
export function compareShape(
  name: string,
  members: ts.NodeArray<ts.TypeElement>,
  schema: Schema,
  schemas: Record<string, Schema>,
  request = false,
  known: ReadonlySet<string> = new Set(),
): string[] {
  const out: string[] = [];
  const resolve = (s: Schema): Schema => {
    const ref = s.$ref?.replace('#/components/schemas/', '');
    return ref !== undefined ? (schemas[ref] ?? {}) : s;
  };
  const schemaName = (n: string) => kSchemaOf[n] ?? n;

  const compareMembers = (at: string, ms: ts.NodeArray<ts.TypeElement>, s0: Schema) => {
    const s = resolve(s0);
    if (!s.properties) {
      out.push(`${at}: the schema has no properties`);
      return;
    }
    const required = new Set(s.required ?? []);
    const seen = new Set<string>();
    for (const m of ms) {
      if (!ts.isPropertySignature(m) || !m.name) continue;
      const key = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : m.name.getText();
      seen.add(key);
      const prop = s.properties[key];
      if (!prop) {
        out.push(`${at}.${key}: in TypeScript, not in the schema`);
        continue;
      }
      const optional = m.questionToken !== undefined;
      if (request ? required.has(key) && optional : required.has(key) === optional) {
        out.push(`${at}.${key}: ${optional ? 'optional' : 'required'} in TypeScript, ${required.has(key) ? 'required' : 'optional'} in the schema`);
      }
      if (m.type) compareType(`${at}.${key}`, m.type, prop);
    }
    for (const key of Object.keys(s.properties)) {
      if (!seen.has(key)) out.push(`${at}.${key}: in the schema, not in TypeScript`);
    }
  };

  const compareType = (at: string, node: ts.TypeNode, s: Schema) => {
    if (ts.isParenthesizedTypeNode(node)) return compareType(at, node.type, s);
    if (ts.isTypeLiteralNode(node)) return compareMembers(at, node.members, s);
    if (ts.isArrayTypeNode(node)) {
      const r = resolve(s);
      if (r.type !== 'array' || !r.items) return void out.push(`${at}: an array in TypeScript, not in the schema`);
      return compareType(`${at}[]`, node.elementType, r.items);
    }
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const ref = node.typeName.text;
      if (ref === 'Record' && node.typeArguments?.length === 2) {
        const ap = resolve(s).additionalProperties;
        if (typeof ap !== 'object') return void out.push(`${at}: a Record in TypeScript, no additionalProperties in the schema`);
        return compareType(`${at}{}`, node.typeArguments[1]!, ap);
      }
      if (known.has(ref) && s.$ref !== `#/components/schemas/${schemaName(ref)}`) {
        out.push(`${at}: ${ref} in TypeScript, ${s.$ref ?? 'an inline schema'} in the schema`);
      }
    }
  };

  compareMembers(name, members, schema);
  return out;
}

function readApiInterfaces(): Map<string, ts.InterfaceDeclaration> {
  const all = new Map<string, ts.InterfaceDeclaration>();
  for (const f of ['types.ts', 'map_api.ts']) {
    for (const [n, d] of interfacesOf(readFileSync(join(here, f), 'utf8'), f)) all.set(n, d);
  }
  return all;
}

describe('docs/openapi.json', () => {
  it('is a valid OpenAPI 3.0.3 document', async () => {
    const doc = loadDocument();
    expect(doc.openapi).toBe('3.0.3');
    const v = new Validator();
    const r = await v.validate(doc as unknown as Spec);
    expect(r.errors ?? []).toEqual([]);
    expect(r.valid).toBe(true);
    expect(v.version).toBe('3.0');
  });

  it('rejects what made it invalid before (3.1 "type": "null", a description in a media type)', async () => {
    const doc = loadDocument();
    doc.components.schemas['Broken'] = { oneOf: [{ type: 'null' }, { type: 'string' }] } as Schema;
    expect((await new Validator().validate(doc as unknown as Spec)).valid).toBe(false);
    const doc2 = loadDocument();
    const upload = doc2.paths['/api/files/upload']!['post'] as { requestBody: { content: Record<string, object> } };
    upload.requestBody.content['application/octet-stream'] = { schema: { type: 'string' }, description: 'raw' };
    expect((await new Validator().validate(doc2 as unknown as Spec)).valid).toBe(false);
  });

  it('lists exactly the routes the server registers (src/http/*.cc)', () => {
    const dir = join(repo, 'src', 'http');
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith('.cc') && !f.endsWith('_test.cc'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    const server = registeredRoutes(sources);
    expect(server.length).toBeGreaterThan(40);
    const doc = documentedRoutes(loadDocument());
    expect({ undocumented: server.filter((r) => !doc.includes(r)), notServed: doc.filter((r) => !server.includes(r)) }).toEqual({
      undocumented: [],
      notServed: [],
    });
  });

  it('finds routes registered either way, on one line or several', () => {
    const cc = [
      'router_.Add("GET", "/api/files/:id", [this](Request& req) {',
      'router_.Add(\n      "POST", "/api/files/upload",\n      [this](Request& req) {',
      'OnSession("POST", "/api/parse/:id/waveform", [](Request& req, const QueryContext& c) {',
      'router->Add("GET", "/api/map/unit", bind(&MapHandlers::UnitDetails));',
      'router_.Add("GET", "/metrics", [this](Request&) {',
      'w.Field("GET", "not a route");',
    ].join('\n');
    expect(registeredRoutes([cc])).toEqual([
      'GET /api/files/{id}',
      'GET /api/map/unit',
      'GET /metrics',
      'POST /api/files/upload',
      'POST /api/parse/{id}/waveform',
    ]);
  });
});

describe('api/types.ts and api/map_api.ts against docs/openapi.json', () => {
  it('has a schema with the same properties and required-ness for every JSON shape', () => {
    const schemas = loadDocument().components.schemas;
    const interfaces = readApiInterfaces();
    const known = new Set(interfaces.keys());
    expect(interfaces.size).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const [name, decl] of interfaces) {
      if (kClientOnly.has(name)) continue;
      const schema = schemas[kSchemaOf[name] ?? name];
      if (!schema) {
        problems.push(`${name}: no schema ${kSchemaOf[name] ?? name} in docs/openapi.json`);
        continue;
      }
      problems.push(...compareShape(name, decl.members, schema, schemas, kRequests.has(name), known));
    }
    expect(problems).toEqual([]);
  });

  it('names a missing property, a required-ness mismatch and an extra schema property', () => {
    const decl = interfacesOf(
      'export interface Page { items: { id: string; note?: string }[]; total: number; next?: string; extra: number }',
    ).get('Page')!;
    const schema: Schema = {
      type: 'object',
      properties: {
        items: { type: 'array', items: { type: 'object', properties: { id: {}, note: {} }, required: ['id', 'note'] } },
        total: {},
        next: {},
        more: {},
      },
      required: ['items', 'total', 'next'],
    };
    expect(compareShape('Page', decl.members, schema, {}).sort()).toEqual([
      'Page.extra: in TypeScript, not in the schema',
      'Page.items[].note: optional in TypeScript, required in the schema',
      'Page.more: in the schema, not in TypeScript',
      'Page.next: optional in TypeScript, required in the schema',
    ]);
  });
});
