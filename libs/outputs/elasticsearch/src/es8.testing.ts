import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { ReceiverReply, RecordedRequest, Responder } from '@falconer/testing';

/**
 * A responder for the test Receiver that answers like Elasticsearch 8 for the endpoints Falconer uses:
 * index template GET/PUT, single document POST, `_bulk` with per-item results, and mapping conflicts
 * (`document_parsing_exception`) for output fields mapped as `long`.
 */
export interface FakeEs8 {
  responder: Responder;
  /** Stored documents by index (as parsed JSON). */
  docs: Map<string, Record<string, unknown>[]>;
  templates: Map<string, unknown>;
  /** Output fields mapped as long: a non-numeric value is a mapping conflict. */
  longFields: Set<string>;
  /** Per bulk item (0-based within the request): force a status (e.g. 429) instead of indexing. */
  bulkItemStatus?: (position: number, doc: Record<string, unknown>) => number | undefined;
}

const JSON_HEADERS = {
  'content-type': 'application/vnd.elasticsearch+json;compatible-with=8',
  'x-elastic-product': 'Elasticsearch',
};
const reply = (status: number, body: unknown): ReceiverReply => ({
  status,
  headers: JSON_HEADERS,
  body: JSON.stringify(body),
});

const ERRORS: Record<number, { type: string; reason: string }> = {
  409: { type: 'version_conflict_engine_exception', reason: 'version conflict, document already exists' },
  429: { type: 'es_rejected_execution_exception', reason: 'rejected execution of coordinating operation' },
  500: { type: 'exception', reason: 'internal error' },
  503: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' },
};

export function fakeEs8(): FakeEs8 {
  const es: FakeEs8 = {
    docs: new Map(),
    templates: new Map(),
    longFields: new Set(),
    responder: () => ({ status: 500 }),
  };

  const conflict = (doc: Record<string, unknown>): { type: string; reason: string } | undefined => {
    const fields = (doc['output_fields'] ?? {}) as Record<string, unknown>;
    for (const f of es.longFields) {
      const v = fields[f];
      if (v !== undefined && typeof v !== 'number') {
        return {
          type: 'document_parsing_exception',
          reason: `[1:120] failed to parse field [output_fields.${f}] of type [long] in document with id '${randomUUID()}'. Preview of field's value: '${JSON.stringify(v)}'`,
        };
      }
    }
    return undefined;
  };
  const store = (index: string, doc: Record<string, unknown>): string => {
    const id = randomUUID();
    const list = es.docs.get(index) ?? [];
    list.push(doc);
    es.docs.set(index, list);
    return id;
  };
  const text = (req: RecordedRequest): string =>
    req.headers['content-encoding'] === 'gzip' ? gunzipSync(req.body).toString('utf8') : req.text;

  es.responder = (req) => {
    const url = new URL(req.url, 'http://es');
    const parts = url.pathname.split('/').filter((p) => p !== '');
    if (req.method === 'GET' && parts.length === 0) {
      return reply(200, {
        name: 'es01',
        cluster_name: 'docker-cluster',
        version: { number: '8.15.0' },
        tagline: 'You Know, for Search',
      });
    }
    if (parts[0] === '_index_template' && parts[1] !== undefined) {
      const name = decodeURIComponent(parts[1]);
      if (req.method === 'GET') {
        const t = es.templates.get(name);
        if (t === undefined) {
          const err = {
            type: 'resource_not_found_exception',
            reason: `index template matching [${name}] not found`,
          };
          return reply(404, { error: { root_cause: [err], ...err }, status: 404 });
        }
        return reply(200, { index_templates: [{ name, index_template: t }] });
      }
      if (req.method === 'PUT') {
        es.templates.set(name, JSON.parse(req.text));
        return reply(200, { acknowledged: true });
      }
    }
    if (req.method === 'POST' && parts[0] === '_bulk') {
      const lines = text(req).split('\n');
      if (lines.at(-1) !== '') {
        const err = {
          type: 'illegal_argument_exception',
          reason: 'The bulk request must be terminated by a newline [\\n]',
        };
        return reply(400, { error: { root_cause: [err], ...err }, status: 400 });
      }
      const items: unknown[] = [];
      let errors = false;
      for (let i = 0; i + 1 < lines.length; i += 2) {
        const action = JSON.parse(lines[i] as string) as { create: { _index: string } };
        const doc = JSON.parse(lines[i + 1] as string) as Record<string, unknown>;
        const index = action.create._index;
        const forced = es.bulkItemStatus?.(i / 2, doc);
        const c = conflict(doc);
        if (forced !== undefined && forced >= 300) {
          errors = true;
          items.push({
            create: {
              _index: index,
              status: forced,
              error: { ...(ERRORS[forced] ?? { type: 'exception', reason: 'failed' }), index },
            },
          });
        } else if (c !== undefined) {
          errors = true;
          items.push({ create: { _index: index, status: 400, error: { ...c, index } } });
        } else {
          const id = store(index, doc);
          items.push({
            create: {
              _index: index,
              _id: id,
              _version: 1,
              result: 'created',
              _shards: { total: 2, successful: 1, failed: 0 },
              _seq_no: 0,
              _primary_term: 1,
              status: 201,
            },
          });
        }
      }
      return reply(200, { errors, took: 3, items });
    }
    if (req.method === 'POST' && parts.length === 2 && parts[1] === '_doc') {
      const index = decodeURIComponent(parts[0] as string);
      const doc = JSON.parse(text(req)) as Record<string, unknown>;
      const c = conflict(doc);
      if (c !== undefined) {
        return reply(400, {
          error: {
            root_cause: [c],
            type: c.type,
            reason: c.reason,
            caused_by: { type: 'illegal_argument_exception', reason: `For input string: "x"` },
          },
          status: 400,
        });
      }
      const id = store(index, doc);
      return reply(201, {
        _index: index,
        _id: id,
        _version: 1,
        result: 'created',
        _shards: { total: 2, successful: 1, failed: 0 },
        _seq_no: 0,
        _primary_term: 1,
      });
    }
    const err = {
      type: 'illegal_argument_exception',
      reason: `no handler found for uri [${url.pathname}] and method [${req.method}]`,
    };
    return reply(400, { error: { root_cause: [err], ...err }, status: 400 });
  };
  return es;
}

/** A `_bulk` success body for whatever request arrives (for the contract suite). */
export function bulkOk(req: RecordedRequest): ReceiverReply {
  const n = Math.floor(req.text.split('\n').filter((l) => l !== '').length / 2);
  const items = Array.from({ length: n }, () => ({
    create: { _index: 'falco', status: 201, result: 'created' },
  }));
  return reply(200, { errors: false, took: 1, items });
}
