// Drives the service's Swagger UI in headless Chromium like a person would: authorize with a
// client, then "Try it out" on create contact (JSON, then multipart with an image) and list
// contacts, and require the 201 and 200 that Swagger UI renders. Every request is signed by the
// page itself (swagger-ui-signing.js); a wrong signature would render 401 instead.
//
//   node swagger-ui-check.mjs <base-url> <client-id> <secret> <workspace> <screenshot.png>
//
// Run by SwaggerUiIT against the packaged service; exits non-zero on any failure.
import { chromium } from 'playwright-core';

const [baseUrl, clientId, secret, workspace, screenshot] = process.argv.slice(2);
if (!screenshot) {
  console.error('usage: node swagger-ui-check.mjs <base-url> <client-id> <secret> <workspace> <screenshot.png>');
  process.exit(2);
}
const TIMEOUT = 30_000;
// 96650 and seven digits: a valid Saudi mobile whatever the clock says ('9665' + eight digits was not: 96651… and
// 96652… are not mobile ranges, so the check failed whenever the clock's digit there was 1 or 2).
const uniquePhone = () => '96650' + String(Date.now() % 10_000_000).padStart(7, '0');

// A 1x1 PNG: a real image for the multipart file part.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC', 'base64');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.setDefaultTimeout(TIMEOUT);
const sent = [];
page.on('request', (request) => {
  if (request.url().includes('/api/developer/')) {
    sent.push(request.headers());
  }
});

try {
  await page.goto(`${baseUrl}/q/swagger-ui/`);
  await page.locator('#operations-Contacts-createContact').waitFor();

  // The document lists the dev server first; this service runs elsewhere, so pick "the host serving
  // this document" as a deployed Swagger UI's user would.
  await page.locator('.scheme-container .servers select').selectOption('/');
  await authorize(page);

  const create = await openOperation(page, 'Contacts', 'createContact');
  await create.locator('tr[data-param-name="phone_number_id"] input').fill('1001');
  await create.locator('.opblock-section-request-body select.content-type').selectOption('application/json');
  await create.locator('textarea.body-param__text').fill(JSON.stringify({
    name: 'Swagger UI JSON', phone: '+' + uniquePhone(), email: 'swagger@example.com',
  }));
  await execute(create, '201');

  await create.locator('.opblock-section-request-body select.content-type').selectOption('multipart/form-data');
  // Swagger UI pre-fills every form field with its schema example; send only what this contact needs.
  for (const input of await create.locator('.opblock-section-request-body tr[data-property-name] input[type="text"]').all()) {
    await input.fill('');
  }
  await formField(create, 'name').fill('Swagger UI multipart');
  await formField(create, 'phone').fill('+' + String(Number(uniquePhone()) + 1));
  const file = create.locator('.opblock-section-request-body input[type="file"]');
  if (await file.count() > 0) {
    await file.first().setInputFiles({ name: 'avatar.png', mimeType: 'image/png', buffer: PNG });
  }
  await execute(create, '201');

  const list = await openOperation(page, 'Contacts', 'listContacts');
  // Parameters come pre-filled with their examples; search for the multipart contact only, which
  // also signs a query string with encoded spaces.
  for (const input of await list.locator('tr[data-param-name] input[type="text"]').all()) {
    await input.fill('');
  }
  await list.locator('tr[data-param-name="search"] input').fill('Swagger UI multipart');
  await execute(list, '200');
  await list.locator('.live-responses-table .response-col_description').filter({ hasText: 'Swagger UI multipart' })
    .waitFor();

  for (const headers of sent) {
    if (headers['x-awal-signature-256'] === secret || !/^sha256=[0-9a-f]{64}$/.test(headers['x-awal-signature-256'] || '')) {
      throw new Error('a request went out without a proper signature: ' + JSON.stringify(headers));
    }
  }
  if (sent.length < 3) {
    throw new Error(`expected at least 3 API requests from the page, saw ${sent.length}`);
  }
  // The answers as rendered, readable at a glance; the full page goes to <screenshot> below.
  await create.locator('.live-responses-table').screenshot({ path: screenshot.replace(/\.png$/, '-create.png') });
  await list.locator('.live-responses-table').screenshot({ path: screenshot.replace(/\.png$/, '-list.png') });
  console.log(`Swagger UI check passed: ${sent.length} signed requests (JSON 201, multipart 201, list 200)`);
} catch (error) {
  console.error('Swagger UI check failed:', error);
  process.exitCode = 1;
} finally {
  await page.screenshot({ path: screenshot, fullPage: true });
  await browser.close();
}

async function authorize(page) {
  await page.locator('.scheme-container button.authorize').click();
  const modal = page.locator('.modal-ux');
  await modal.waitFor();
  const values = { 'X-Client-ID': clientId, 'X-Domain': workspace, 'X-Awal-Signature-256': secret };
  for (const [name, value] of Object.entries(values)) {
    const container = modal.locator('.auth-container').filter({ hasText: name });
    await container.locator('input').fill(value);
    await container.locator('button.authorize').click();
    await container.locator('button', { hasText: 'Logout' }).waitFor();
  }
  await modal.locator('button.close-modal').click();
  await modal.waitFor({ state: 'detached' });
}

async function openOperation(page, tag, operationId) {
  const operation = page.locator(`#operations-${tag}-${operationId}`);
  await operation.locator('.opblock-summary').first().click();
  await operation.locator('button.try-out__btn').click();
  return operation;
}

function formField(operation, name) {
  return operation.locator(`.opblock-section-request-body tr[data-property-name="${name}"] input`).first();
}

async function execute(operation, status) {
  // A previous answer stays rendered until cleared; clear it so the status read is this request's.
  const clear = operation.locator('button.btn-clear');
  if (await clear.count() > 0) {
    await clear.click();
    await operation.locator('.live-responses-table').waitFor({ state: 'detached' });
  }
  await operation.locator('button.execute').click();
  const rendered = operation.locator('.live-responses-table .response .response-col_status').first();
  try {
    await rendered.filter({ hasText: new RegExp(`^\\s*${status}\\s*$`) }).waitFor();
  } catch (error) {
    const body = await operation.locator('.live-responses-table .response-col_description pre').first().innerText()
      .catch(() => '(no response rendered)');
    throw new Error(`expected ${status}, Swagger UI shows ${await rendered.innerText().catch(() => '?')}: ${body}`);
  }
}
