// Composes a supergraph from the running subgraphs' `_service { sdl }` with The Guild's composer.
// usage: SUBGRAPH_TOKEN=<jwt> node compose.mjs out.graphql name=http://127.0.0.1:8081/graphql ...
// (subgraphs answer `_service` only to a SERVICE or ADMIN token)
import { writeFileSync } from 'node:fs';
import { parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';

const [out, ...subgraphs] = process.argv.slice(2);
const services = [];
for (const arg of subgraphs) {
  const [name, url] = arg.split('=');
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(process.env.SUBGRAPH_TOKEN ? { authorization: `Bearer ${process.env.SUBGRAPH_TOKEN}` } : {}),
    },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = await res.json();
  if (!body.data?._service) {
    console.error(`${name}: no SDL (${res.status}): ${JSON.stringify(body.errors ?? body)}`);
    process.exit(1);
  }
  services.push({ name, url, typeDefs: parse(body.data._service.sdl) });
}
const result = composeServices(services);
if (result.errors?.length) {
  console.error(result.errors.map((e) => e.message).join('\n'));
  process.exit(1);
}
writeFileSync(out, result.supergraphSdl);
console.log(`supergraph written to ${out}`);
