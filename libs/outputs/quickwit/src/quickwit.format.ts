import { goJsonString } from '@falconer/falco';

const field = (name: string, type: string, fast: boolean): string =>
  `{"name":"${name}","type":"${type}","fast":${fast}}`;

/** falcosidekick's index definition (outputs/quickwit.go, AutoCreateQuickwitIndex), byte for byte. */
export function quickwitIndexConfig(index: string, version: string): string {
  const fields = [
    field('time', 'datetime', true),
    field('uuid', 'text', true),
    field('hostname', 'text', true),
    field('priority', 'text', true),
    field('source', 'text', true),
    field('output', 'text', false),
    field('rule', 'text', true),
    field('tags', 'array<text>', true),
    field('output_fields', 'json', true),
  ];
  return (
    `{"index_id":${goJsonString(index)},"version":${goJsonString(version)},` +
    '"search_settings":{"default_search_fields":["rule","source","output","priority","hostname","tags"]},' +
    '"doc_mapping":{"dynamic_mapping":{"description":"Falco","fast":true,"expand_dots":true,"indexed":true,' +
    '"record":"basic","stored":true,"tokenizer":"raw"},' +
    `"field_mappings":[${fields.join(',')}],"mode":"dynamic","store_source":true,"timestamp_field":"time"}}\n`
  );
}
