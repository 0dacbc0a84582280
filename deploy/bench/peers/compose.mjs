// Composes a supergraph from the running subgraphs' `_service { sdl }` with The Guild's composer.
// usage: node compose.mjs out.graphql name=http://127.0.0.1:8081/graphql ...
import { writeFileSync } from 'node:fs';
import { parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';

const [out, ...subgraphs] = process.argv.slice(2);
const services = [];
for (const arg of subgraphs) {
  const [name, url] = arg.split('=');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = await res.json();
  services.push({ name, url, typeDefs: parse(body.data._service.sdl) });
}
const result = composeServices(services);
if (result.errors?.length) {
  console.error(result.errors.map((e) => e.message).join('\n'));
  process.exit(1);
}
writeFileSync(out, result.supergraphSdl);
console.log(`supergraph written to ${out}`);
