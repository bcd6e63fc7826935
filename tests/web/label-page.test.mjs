// What leen-api serves for the page: the files with their types and cache
// headers, no way out of web/, and /i/{code}, the page a label's QR code
// opens: the item without login, the actions after it.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { BASE, SIZES, data, launch, openPage, finish, login, shot, PASSWORD } from './lib.mjs';

// A request with the path exactly as given (fetch would tidy "..").
function raw(method, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${BASE}${path}`, { method, headers, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files', () => {
  test('the page, its modules and styles, with types and revalidation', async () => {
    const cases = [
      ['/', 'text/html; charset=utf-8'],
      ['/assets/app.js', 'text/javascript; charset=utf-8'],
      ['/assets/api.js', 'text/javascript; charset=utf-8'],
      ['/assets/app.css', 'text/css; charset=utf-8'],
      ['/assets/icon.svg', 'image/svg+xml'],
    ];
    for (const [path, type] of cases) {
      const res = await raw('GET', path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['content-type'], type, path);
      assert.equal(res.headers['cache-control'], 'no-cache', path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      assert.match(res.headers.etag, /^"[0-9a-f]+-[0-9a-f]+"$/, path);
      const again = await raw('GET', path, { 'If-None-Match': res.headers.etag });
      assert.equal(again.status, 304, `${path} revalidated`);
      assert.equal(again.body, '');
    }
    const page = await raw('GET', '/');
    assert.match(page.headers['content-security-policy'], /default-src 'self'/);
    assert.match(page.body, /<script type="module" src="\/assets\/app.js">/);
    const head = await raw('HEAD', '/assets/app.js');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
  });

  test('nothing outside web/assets, no hidden files, no unknown kinds', async () => {
    for (const path of ['/assets/..%2Findex.html', '/assets/%2e%2e', '/assets/..', '/assets/../index.html',
      '/assets/.hidden', '/assets/%2e%2e%2f%2e%2e%2fapi%2fweb.c', '/assets/app.js%00.css',
      '/assets/nope.js', '/assets/index', '/assets/README.exe', '/assets/', '/web/index.html']) {
      const res = await raw('GET', path);
      assert.equal(res.status, 404, path);
      assert.match(res.headers['content-type'], /^application\/problem\+json/, path);
    }
  });

  test('/i/{code} holds the item, never who has it', async () => {
    const res = await raw('GET', '/i/FB0008');
    assert.equal(res.status, 200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(res.body, /<p class="code">FB-0008<\/p><h1 id="public-item-name">Kettler 16 oranje<\/h1>/);
    assert.match(res.body, /<dt>Status<\/dt><dd>Uitgeleend<\/dd>/);
    assert.match(res.body, /<dt>Soort<\/dt><dd>Fiets 16 inch<\/dd>/);
    assert.match(res.body, /<dt>Uitleendienst<\/dt><dd>Fietsbieb Izegem<\/dd>/);
    assert.doesNotMatch(res.body, /Gezin|Janssens|20002/);
    // any form of the code, as the label URL may be typed
    assert.equal((await raw('GET', '/i/fb-0008')).status, 200);
    const unknown = await raw('GET', '/i/XX9999');
    assert.equal(unknown.status, 404);
    assert.match(unknown.body, /Onbekende code/);
    const nasty = await raw('GET', '/i/%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    assert.equal(nasty.status, 404);
    assert.doesNotMatch(nasty.body, /<script>alert/);
  });
});

let chromium;
before(async () => {
  chromium = await launch();
});
after(async () => {
  await chromium.close();
});

for (const size of SIZES) {
  describe(`label page at ${size.name} size`, () => {
    test('without login: the item and a login for volunteers; after it: the actions', async () => {
      const page = await openPage(chromium.context, size);
      await page.goto(`${BASE}/i/BT0002`);
      const card = page.locator('#public-item');
      await card.getByRole('heading', { name: 'Kinderwagen Joolz' }).waitFor();
      assert.match(await card.innerText(), /Beschikbaar/);
      await page.getByRole('heading', { name: 'Vrijwilliger? Meld je aan om uit te lenen of terug te nemen' }).waitFor();
      assert.doesNotMatch(await page.locator('body').innerText(), /Gezin /);
      await shot(page, 'label', 'public');
      await page.getByLabel('Gebruikersnaam').fill('balie');
      await page.getByLabel('Wachtwoord').fill(PASSWORD);
      await page.getByRole('button', { name: 'Aanmelden' }).click();
      await page.getByRole('heading', { name: 'Voor welk gezin?' }).waitFor();
      assert.equal(await card.isHidden(), true, 'the flow shows the item itself');
      await shot(page, 'label', 'actions');
      await finish(page);
    });

    test('an item on loan, without login', async () => {
      const page = await openPage(chromium.context, size);
      await page.goto(`${BASE}/i/FB0008`);
      await page.locator('#public-item').getByText('Uitgeleend').waitFor();
      assert.doesNotMatch(await page.locator('body').innerText(), /Janssens|Gezin/);
      await shot(page, 'label', 'on-loan');
      await finish(page);
    });

    test('a volunteer sees the counter menu only; a member card opens the household', async () => {
      const page = await openPage(chromium.context, size);
      await login(page, 'balie');
      const menu = await page.locator('#nav').innerText();
      assert.match(menu, /Balie/);
      assert.doesNotMatch(menu, /Sociaal tarief|Cijfers/);
      await page.keyboard.type(String(data(size).hh(1)));
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /^Gezin (Peeters|Willems)$/ }).waitFor();
      assert.match(await page.locator('#view').innerText(), /Sociaal tarief tot \d/);
      await finish(page);
    });
  });
}
