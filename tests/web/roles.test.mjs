// The social worker's page (reductions and vouchers, nothing else) and the
// coordinator's (the month's chart, the label sheet), at both sizes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BASE, SIZES, data, launch, openPage, finish, login, shot, assertTouchTargets } from './lib.mjs';

// the routes the running API has: a flow whose route has not landed yet is skipped, and says so
const paths = (await (await fetch(`${BASE}/openapi.json`)).json()).paths || {};

let chromium;
before(async () => {
  chromium = await launch();
});
after(async () => {
  await chromium.close();
});

// Clicks, and returns the PDF the page fetched from the API for its link
// as its type and first bytes ("%PDF-", and "+" when it is not tiny).
async function pdfAfter(page, click, path) {
  let seen = null;
  const pattern = (url) => url.pathname.endsWith(path);
  await page.route(pattern, async (route) => {
    const res = await route.fetch();
    const body = await res.body();
    seen = `${res.headers()['content-type']} ${body.subarray(0, 5).toString('latin1')}${body.length > 1000 ? '+' : ''}`;
    await route.fulfill({ response: res, body });
  });
  await click();
  await page.waitForFunction(() => document.querySelector('a[download][href^="blob:"]'));
  await page.unroute(pattern);
  return seen;
}

for (const size of SIZES) {
  const { hh } = data(size);

  describe(`social worker at ${size.name} size`, () => {
    test('a reduction for a household, and a voucher letter', async () => {
      const page = await openPage(chromium.context, size);
      await login(page, 'sociaal');
      await page.getByRole('heading', { name: 'Sociaal tarief', level: 1 }).waitFor();
      assert.equal(await page.locator('#scan-form').isHidden(), true, 'no scan field');
      assert.deepEqual(await page.locator('#nav a').allInnerTexts(), ['Sociaal tarief']);
      await shot(page, 'social', 'start');

      await page.getByLabel('Lidnummer').fill(String(hh(3)));
      await page.getByRole('button', { name: 'Zoek' }).click();
      await page.getByText('Nog geen sociaal tarief.').waitFor();
      const grant = page.locator('section', { has: page.getByRole('heading', { name: 'Gezin opzoeken' }) });
      await grant.getByLabel('Geldig tot en met').fill('2031-06-30');
      await grant.getByLabel('Dossiernummer (niet verplicht)').fill(`SH-${size.name}-1`);
      await grant.getByRole('button', { name: 'Toekennen' }).click();
      await page.locator('#message').getByText(`Toegekend aan gezin ${hh(3)}: sociaal tarief tot en met 30 juni 2031.`).waitFor();
      assert.match(await page.locator('#reductions').innerText(), /Sociaal tarief · .* tot en met 30 juni 2031 · dossier SH-/);
      await shot(page, 'social', 'granted');

      const voucher = page.locator('section', { has: page.getByRole('heading', { name: 'Voucher uitschrijven' }) });
      await voucher.getByLabel('Soort tarief').selectOption('full');
      await voucher.getByLabel('Geldig tot en met').fill('2031-12-31');
      await assertTouchTargets(page);
      const pdf = await pdfAfter(page, () => voucher.getByRole('button', { name: 'Voucher maken' }).click(), '/voucher.pdf');
      assert.equal(pdf, 'application/pdf %PDF-+');
      await page.locator('#voucher-letter').waitFor();
      const code = await page.locator('#voucher-code').innerText();
      assert.match(code, /^[A-Z0-9]{8,16}$/);
      const download = page.waitForEvent('download');
      await page.locator('#voucher-letter').click();
      assert.equal((await download).suggestedFilename(), `voucher-${code}.pdf`);
      await shot(page, 'social', 'voucher');

      // the counter is not theirs
      await page.goto(`${BASE}/#/gezin/${hh(3)}`);
      await page.getByRole('heading', { name: 'Sociaal tarief', level: 1 }).waitFor();
      await finish(page);
    });
  });

  describe(`coordinator at ${size.name} size`, () => {
    test('the month\'s statistics chart', { skip: !('/v1/stats/monthly' in paths) && 'waits for GET /v1/stats/monthly' }, async () => {
      const page = await openPage(chromium.context, size);
      await login(page, 'coord');
      await page.getByRole('link', { name: 'Cijfers en etiketten' }).click();
      const stats = page.locator('section', { has: page.getByRole('heading', { name: 'Cijfers per maand' }) });
      await stats.getByLabel('Uitleendienst').selectOption('fietsbieb');
      await stats.getByRole('button', { name: 'Toon grafiek' }).click();
      const img = page.locator('#stats-chart');
      await img.waitFor();
      await page.waitForFunction(() => document.querySelector('#stats-chart').naturalWidth > 0);
      await shot(page, 'coordinator', 'chart');
      await finish(page);
    });

    test('the label sheet for new items', async () => {
      const page = await openPage(chromium.context, size);
      await login(page, 'coord');
      await page.getByRole('link', { name: 'Cijfers en etiketten' }).click();
      const labels = page.locator('section', { has: page.getByRole('heading', { name: 'Etiketten voor nieuwe voorwerpen' }) });
      await labels.getByLabel('Vanaf voorwerp').fill('FB-0011');
      await labels.getByLabel('Beginnen op etiket nummer').fill('4');
      const pdf = await pdfAfter(page, () => labels.getByRole('button', { name: 'Etiketten maken' }).click(), '/v1/labels.pdf');
      assert.equal(pdf, 'application/pdf %PDF-+');
      await page.locator('#labels-pdf').waitFor();
      await shot(page, 'coordinator', 'labels');
      await finish(page);
    });
  });
}
