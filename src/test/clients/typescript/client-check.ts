// Drives the TypeScript client generated from the service's OpenAPI document (OpenAPI Generator,
// typescript-fetch, default settings) against a running service. GeneratedClientsIT copies this file
// next to the generated index.ts, compiles both with tsc and runs:
//   node client-check.js BASE_URL CLIENT_ID SECRET WORKSPACE
import { createHmac, randomInt } from 'node:crypto';
import {
  BranchesApi, Configuration, ContactGroupsApi, ContactsApi, Middleware, ModelError, ModelErrorFromJSON,
  RequestContext, ResponseError,
} from './index';

const [baseUrl, clientId, secret, workspace] = process.argv.slice(2);

/** Signs every request (contract §6) in the client's middleware, over the exact body it sends. */
function signing(clientId: string, secret: string, workspace: string): Middleware {
  return {
    async pre(context: RequestContext) {
      const url = new URL(context.url);
      const timestamp = Math.floor(Date.now() / 1000).toString();
      const method = (context.init.method ?? 'GET').toUpperCase();
      const body = context.init.body;
      if (body != null && typeof body !== 'string') {
        throw new Error('this signer handles string bodies (JSON and urlencoded) only');
      }
      const signature = createHmac('sha256', secret)
        .update(method + url.pathname.replace(/^\/api\/developer/, '') + url.search + timestamp + (body ?? ''), 'utf8')
        .digest('hex');
      const headers = new Headers(context.init.headers as HeadersInit);
      headers.set('X-Client-ID', clientId);
      headers.set('X-Domain', workspace);
      headers.set('X-Timestamp', timestamp);
      headers.set('X-Awal-Signature-256', 'sha256=' + signature);
      return { url: context.url, init: { ...context.init, headers } };
    },
  };
}

function check(condition: boolean, what: string): void {
  if (!condition) {
    throw new Error('Failed: ' + what);
  }
}

async function errorOf(call: () => Promise<unknown>): Promise<{ status: number, body: ModelError | null }> {
  try {
    await call();
  } catch (e) {
    if (e instanceof ResponseError) {
      const text = await e.response.text();
      return { status: e.response.status, body: text ? ModelErrorFromJSON(JSON.parse(text)) : null };
    }
    throw e;
  }
  throw new Error('Expected an error answer');
}

const phone = () => '+96650' + String(randomInt(10_000_000)).padStart(7, '0');

async function main(): Promise<void> {
  const config = new Configuration({ basePath: baseUrl, middleware: [signing(clientId, secret, workspace)] });
  const contacts = new ContactsApi(config);
  const groups = new ContactGroupsApi(config);
  const branches = new BranchesApi(config);
  const marker = 'TsClient' + randomInt(1_000_000);
  const sender = '109876543210';

  // create: the created object comes back
  const first = (await contacts.createContact({ phoneNumberId: sender,
    contactCreate: { name: marker + ' One', phone: phone(), email: 'one@example.com' } })).data;
  check(first.id > 0 && first.name === marker + ' One', 'created contact returned');
  const second = (await contacts.createContact({ phoneNumberId: sender,
    contactCreate: { name: marker + ' Two', phone: phone() } })).data;

  // get, then 304 with the ETag
  const got = await contacts.getContactRaw({ id: first.id });
  check((await got.value()).data.email === 'one@example.com', 'get returns the contact');
  const etag = got.raw.headers.get('ETag')!;
  check((await errorOf(() => contacts.getContact({ id: first.id, ifNoneMatch: etag }))).status === 304,
    'If-None-Match gives 304');

  // list with search, then the next page by cursor
  const page = await contacts.listContacts({ search: marker, perPage: 1, sort: 'name' });
  check(page.data.length === 1 && page.meta.nextCursor != null, 'first page has a cursor');
  const next = await contacts.listContacts({ search: marker, perPage: 1, sort: 'name', cursor: page.meta.nextCursor! });
  check(next.data[0].id === second.id, 'cursor gives the second contact');

  // group and branch, linked by a patch, then unlinked with null
  const group = (await groups.createContactGroup({ contactGroupWrite: { name: marker + ' group' } })).data;
  const branch = (await branches.createBranch({ phoneNumberId: sender, branchWrite: { name: marker + ' branch' } })).data;
  const linked = (await contacts.updateContact({ id: first.id,
    contactUpdate: { contactGroupId: group.id, branchId: branch.id } })).data;
  check(linked.contactGroupId === group.id && linked.branchId === branch.id, 'linked');
  const unlinked = (await contacts.updateContact({ id: first.id, contactUpdate: { contactGroupId: null } })).data;
  check(unlinked.contactGroupId === null && unlinked.branchId === branch.id, 'null unlinks the group only');
  check((await groups.getContactGroup({ id: group.id })).data.contactsCount === 0, 'group count follows');

  // delete, then a 404 and a 422 read as the typed error envelope
  await contacts.deleteContact({ id: second.id });
  const notFound = await errorOf(() => contacts.getContact({ id: second.id }));
  check(notFound.status === 404 && notFound.body?.error === 'resource_not_found', '404 is resource_not_found');
  const invalid = await errorOf(() => contacts.createContact({ phoneNumberId: sender,
    contactCreate: { name: marker, phone: '+1 23' } }));
  check(invalid.status === 422 && invalid.body?.error === 'validation_failed' && 'phone' in (invalid.body?.details ?? {}),
    '422 names the phone');
  await branches.deleteBranch({ id: branch.id });
  await groups.deleteContactGroup({ id: group.id });
  await contacts.deleteContact({ id: first.id });
  console.log('TypeScript client check passed');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
