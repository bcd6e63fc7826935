// The counter flows at phone and laptop size: registration and check-out,
// check-out on the social tariff with a USB scanner, return, swap, the
// household page with a reservation, and an API refusal in Dutch.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BASE, SIZES, data, launch, openPage, finish, login, shot, scanKeys, assertScanFocused, apiGet,
  assertTouchTargets,
} from './lib.mjs';

const DUE = /^Terugbrengen op zaterdag \d{1,2} [a-z]+( \d{4})?$/;

let chromium;
before(async () => {
  chromium = await launch();
});
after(async () => {
  await chromium.close();
});

for (const size of SIZES) {
  const { code, hh } = data(size);

  describe(`counter at ${size.name} size (${size.width} px)`, () => {
    test('register a new household and lend it a bike', async () => {
      const page = await openPage(chromium.context, size);
      await login(page, 'balie');
      await assertScanFocused(page);
      await shot(page, 'register', 'counter');
      await scanKeys(page, code(1).toLowerCase());
      await page.getByRole('heading', { name: 'Voor welk gezin?' }).waitFor();
      await shot(page, 'register', 'which-household');
      await page.getByRole('button', { name: 'Nieuw gezin registreren' }).click();
      await page.getByLabel('Naam van het gezin').fill(`Gezin Nieuw ${size.name}`);
      await page.getByLabel('Postcode (niet verplicht)').fill('8870');
      await page.getByLabel('Voornaam kind 1 (niet verplicht)').fill('Mila');
      await page.getByLabel('Geboortemaand kind 1').fill('2021-03');
      await assertTouchTargets(page);
      await shot(page, 'register', 'form');
      await page.getByRole('button', { name: 'Gezin registreren' }).click();

      const confirm = page.locator('#view');
      await page.getByRole('heading', { name: 'Nakijken en bevestigen' }).waitFor();
      const sums = await confirm.locator('table.sums').innerText();
      assert.match(sums, /Lidmaatschap Fietsbieb Izegem \(nieuw\)/);
      assert.match(sums, /Nu te betalen\s+€\s?40,00/);
      await shot(page, 'register', 'confirm');
      await page.getByRole('button', { name: 'Uitlenen', exact: true }).click();
      await page.getByRole('heading', { name: `Uitgeleend aan Gezin Nieuw ${size.name}` }).waitFor();
      assert.match(await page.locator('#due').innerText(), DUE);
      await shot(page, 'register', 'done');
      const item = await apiGet(page, `/v1/items/${code(1)}`);
      assert.equal(item.body.status, 'on_loan');
      await finish(page);
    });

    test('a USB scanner types the label URL; the social tariff applies', async () => {
      const page = await openPage(chromium.context, size);
      await login(page, 'balie');
      await assertScanFocused(page);
      // the scanner types the whole URL into whatever has the focus, then Enter
      await scanKeys(page, `${BASE}/i/${code(2)}`);
      await page.getByRole('heading', { name: 'Voor welk gezin?' }).waitFor();
      // the member card: digits and Enter, into the focused search field
      await scanKeys(page, String(hh(1)));
      await page.getByRole('heading', { name: 'Nakijken en bevestigen' }).waitFor();
      const text = await page.locator('#view').innerText();
      assert.match(text, /sociaal tarief tot \d{1,2} [a-z]+ \d{4}/);
      const sums = await page.locator('table.sums').innerText();
      assert.match(sums, /€\s?20,00\s*€\s?5,00/, 'membership: regular fee struck, social fee due');
      assert.match(sums, /€\s?20,00\s*€\s?10,00/, 'deposit: half on the social tariff');
      assert.match(sums, /Nu te betalen\s+€\s?15,00/);
      await assertTouchTargets(page);
      await shot(page, 'social-tariff', 'confirm');
      // no mouse: the confirm button has the focus, Enter lends
      await page.waitForFunction(() => document.activeElement && document.activeElement.textContent === 'Uitlenen');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /^Uitgeleend aan/ }).waitFor();
      assert.match(await page.locator('#due').innerText(), DUE);
      assert.match(await page.locator('table.sums').innerText(), /€\s?15,00/);
      await shot(page, 'social-tariff', 'done');
      await finish(page);
    });

    test('return with a missing part and part of the deposit kept', async () => {
      const page = await openPage(chromium.context, size);
      await login(page, 'balie');
      await scanKeys(page, code(3));
      await page.getByRole('heading', { name: /^Terugnemen:/ }).waitFor();
      assert.match(await page.locator('#view').innerText(), /Uitgeleend aan Gezin (Janssens|Jacobs)/);
      await page.getByLabel('Moet gewassen worden').check();
      await page.getByLabel('slot', { exact: true }).check();
      await page.getByLabel('Waarborg inhouden (euro)').fill('5');
      await assertTouchTargets(page);
      await shot(page, 'return', 'form');
      // no reason yet: the page says so, and keeps what was typed
      await page.getByRole('button', { name: 'Terugnemen' }).click();
      await page.locator('#message').getByText('Geef een reden als je waarborg inhoudt.').waitFor();
      assert.equal(await page.getByLabel('Waarborg inhouden (euro)').inputValue(), '5');
      assert.equal(await page.getByLabel('slot', { exact: true }).isChecked(), true);
      await shot(page, 'return', 'needs-reason');
      await page.getByLabel('Reden van de inhouding').fill('slot ontbreekt');
      await page.getByRole('button', { name: 'Terugnemen' }).click();
      await page.getByRole('heading', { name: `Teruggenomen: ${code(3).slice(0, 2)}-${code(3).slice(2)}` }).waitFor();
      assert.match(await page.locator('#refund').innerText(), /Terug te geven: €\s?15,00/);
      assert.match(await page.locator('#view').innerText(), /wordt gewassen/);
      await shot(page, 'return', 'done');
      const item = await apiGet(page, `/v1/items/${code(3)}`);
      assert.equal(item.body.status, 'cleaning');
      await finish(page);
    });

    test('swap a bike for a bigger one and settle the difference', async () => {
      const page = await openPage(chromium.context, size);
      await login(page, 'balie');
      await scanKeys(page, code(4));
      await page.getByRole('heading', { name: /^Terugnemen:/ }).waitFor();
      await page.getByRole('button', { name: 'Ruilen' }).click();
      await page.getByRole('heading', { name: 'Welk voorwerp neemt het gezin mee?' }).waitFor();
      await shot(page, 'swap', 'scan-new');
      await scanKeys(page, `${BASE}/i/${code(5)}`);
      await page.getByRole('heading', { name: /^In de plaats:/ }).waitFor();
      assert.match(await page.locator('#view').innerText(), /Bij te betalen: €\s?10,00/);
      await shot(page, 'swap', 'confirm');
      await page.getByRole('button', { name: 'Ruilen', exact: true }).click();
      await page.getByRole('heading', { name: 'Geruild' }).waitFor();
      assert.match(await page.locator('#delta').innerText(), /Bij te betalen: €\s?10,00/);
      assert.match(await page.locator('#due').innerText(), DUE);
      await shot(page, 'swap', 'done');
      assert.equal((await apiGet(page, `/v1/items/${code(4)}`)).body.status, 'available');
      assert.equal((await apiGet(page, `/v1/items/${code(5)}`)).body.status, 'on_loan');
      await finish(page);
    });

    test('household page: reserve, then lend by scanning there', async () => {
      const page = await openPage(chromium.context, size);
      await login(page, 'balie');
      // found by a part of the name
      await page.getByLabel('Lidnummer of naam').fill(size.set ? 'goossen' : 'CLAES');
      await page.getByRole('button', { name: 'Zoek gezin' }).click();
      await page.getByRole('button', { name: new RegExp(`lid ${hh(4)}`) }).click();
      await page.getByRole('heading', { name: /^Gezin (Claes|Goossens)$/ }).waitFor();
      assert.match(await page.locator('#view').innerText(), /lid tot .* 2 plaatsen, 0 in gebruik/);
      await assertTouchTargets(page);
      await shot(page, 'household', 'page');
      await page.getByRole('link', { name: 'Reservatie toevoegen' }).click();
      await page.getByLabel('Uitleendienst').selectOption('babytheek');
      await page.getByLabel('Soort').selectOption({ label: 'Kinderwagen' });
      await page.getByLabel('Gewenst vanaf').fill('2030-03-01');
      await shot(page, 'household', 'reservation-form');
      await page.getByRole('button', { name: 'Reserveren' }).click();
      await page.locator('#message').getByText(/staat op plaats \d+ in de wachtrij voor Kinderwagen, vanaf 1 maart 2030/).waitFor();
      assert.match(await page.locator('#queue').innerText(), new RegExp(`gezin ${hh(4)}`));
      await shot(page, 'household', 'queue');

      await page.getByRole('link', { name: `Terug naar gezin ${hh(4)}` }).click();
      await page.locator('#reservations').getByText(/Kinderwagen · vanaf 1 maart 2030 · plaats \d+ in de rij/).waitFor();
      await assertScanFocused(page);
      await scanKeys(page, code(6));
      // the household of the page is the borrower: straight to the confirm screen
      await page.getByRole('heading', { name: 'Nakijken en bevestigen' }).waitFor();
      assert.match(await page.locator('#view').innerText(), /Nu te betalen\s+€\s?20,00/);
      await page.getByRole('button', { name: 'Uitlenen', exact: true }).click();
      await page.getByRole('heading', { name: /^Uitgeleend aan/ }).waitFor();
      await page.getByRole('link', { name: 'Naar het gezin' }).click();
      await page.locator('#loans').getByText(/terugbrengen op zaterdag/).waitFor();
      assert.match(await page.locator('#view').innerText(), /2 plaatsen, 1 in gebruik/);
      await shot(page, 'household', 'with-loan');
      await finish(page);
    });

    test('a session that ends mid-flow: log in again, nothing typed is lost', async () => {
      const page = await openPage(chromium.context, size);
      await login(page, 'balie');
      await scanKeys(page, code(8));
      await page.getByRole('heading', { name: /^Terugnemen:/ }).waitFor();
      await page.getByLabel('Waarborg inhouden (euro)').fill('3,50');
      await page.getByLabel('Reden van de inhouding').fill('bel kapot');
      // the token is revoked behind the page's back
      await page.evaluate(() => fetch('/v1/auth/logout', {
        method: 'POST', headers: { Authorization: `Bearer ${sessionStorage.getItem('leen.token')}` },
      }));
      page.expectFailed(401);
      await page.getByRole('button', { name: 'Terugnemen' }).click();
      await page.getByRole('heading', { name: 'Aanmelden' }).waitFor();
      assert.equal(await page.locator('#message').innerText(), 'Je sessie is verlopen. Meld je opnieuw aan: wat je had ingevuld blijft staan.');
      await shot(page, 'session', 'login-again');
      await page.getByLabel('Gebruikersnaam').fill('balie');
      await page.getByLabel('Wachtwoord').fill(process.env.LEEN_WEB_PASSWORD || 'balie-wachtwoord-1');
      await page.getByRole('button', { name: 'Aanmelden' }).click();
      await page.locator('#login').waitFor({ state: 'detached' });
      assert.equal(await page.getByLabel('Waarborg inhouden (euro)').inputValue(), '3,50');
      assert.equal(await page.getByLabel('Reden van de inhouding').inputValue(), 'bel kapot');
      await shot(page, 'session', 'form-kept');
      await finish(page);
    });

    test('an API refusal is one Dutch sentence, and the form stays', async () => {
      const page = await openPage(chromium.context, size);
      // a wrong password: the API's 401 in Dutch, the username kept
      await page.goto(BASE);
      await page.getByLabel('Gebruikersnaam').fill('balie');
      await page.getByLabel('Wachtwoord').fill('niet-het-wachtwoord');
      page.expectFailed(401);
      await page.getByRole('button', { name: 'Aanmelden' }).click();
      await page.locator('#message').getByText('Gebruikersnaam of wachtwoord klopt niet. Probeer opnieuw.').waitFor();
      assert.equal(await page.getByLabel('Gebruikersnaam').inputValue(), 'balie');
      await shot(page, 'error', 'login');
      await page.getByLabel('Wachtwoord').fill(process.env.LEEN_WEB_PASSWORD || 'balie-wachtwoord-1');
      await page.getByRole('button', { name: 'Aanmelden' }).click();
      await page.locator('#login').waitFor({ state: 'detached' });

      // a car seat without its safety check may not be lent
      await scanKeys(page, 'BT-0001');
      await page.getByRole('heading', { name: 'Voor welk gezin?' }).waitFor();
      await scanKeys(page, String(hh(2)));
      await page.getByRole('heading', { name: 'Nakijken en bevestigen' }).waitFor();
      await page.getByLabel('Payconiq').check();
      page.expectFailed(422);
      await page.getByRole('button', { name: 'Uitlenen', exact: true }).click();
      await page.locator('#message').getByText(/^Dit voorwerp mag niet uitgeleend worden: het is vervallen of de veiligheidscontrole ontbreekt\.$/).waitFor();
      assert.equal(await page.getByLabel('Payconiq').isChecked(), true, 'the choice made is kept');
      assert.equal(await page.getByRole('button', { name: 'Uitlenen', exact: true }).isEnabled(), true);
      await shot(page, 'error', 'item-unsafe');
      await finish(page);
    });
  });
}
