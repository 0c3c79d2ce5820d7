/// <reference lib="dom" />
import { allFrameworksSystem } from '../factories/systems';
import { BrowserSession, openBrowserSession } from '../factories/browser-session';
import { bearer, startTestApp, TestApp, TestUser } from '../factories/test-app';

/**
 * The review buttons of a system page's evidence register are EvidenceService's allowedMoves for the signed-in user
 * (STYLE 15): the page offers a decision exactly when the API would take it.
 */
describe('evidence review on the system page, in a real browser (e2e)', () => {
  let t: TestApp;
  let browser: BrowserSession;
  let systemId: string;

  beforeAll(async () => {
    t = await startTestApp({ listen: true });
    browser = await openBrowserSession(t);
    const created = await t
      .http()
      .post('/api/v1/systems')
      .set(bearer(t.users.governance_specialist))
      .send(allFrameworksSystem({ name: 'Review target' }))
      .expect(201);
    systemId = created.body.id;
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => browser.assertClean());

  const upload = async (by: TestUser, title: string): Promise<string> =>
    (
      await t
        .http()
        .post(`/api/v1/systems/${systemId}/evidence`)
        .set(bearer(by))
        .field('title', title)
        .field('kind', 'document')
        .field('controlCodes', 'AIG-SEC-05')
        .field('collectedAt', new Date().toISOString())
        .attach('file', Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'), 'review.pdf')
        .expect(201)
    ).body.id;

  /** The decisions the page offers on one item, by the buttons of its review forms. */
  const offered = (page: Awaited<ReturnType<BrowserSession['openPage']>>, id: string) =>
    page.$$eval(`form[action="/evidence/${id}/review"] button`, (buttons) => buttons.map((b) => b.textContent?.trim()));

  it("offers no decision on one's own upload, and to another reviewer exactly what the API then takes", async () => {
    const own = await upload(t.users.governance_specialist, 'Specialist upload');
    const theirs = await upload(t.users.engineer, 'Engineer upload');
    const page = await browser.openPage();
    await browser.signIn(page, t.users.governance_specialist, `/systems/${systemId}#evidence`);
    // Four eyes: the uploader is offered nothing on their own item, and both decisions on the engineer's.
    expect(await offered(page, own)).toEqual([]);
    expect(await offered(page, theirs)).toEqual(['Accept', 'Reject']);
    await browser.shot(page, 'evidence-review-offered');

    await Promise.all([page.waitForNavigation(), page.click(`form[action="/evidence/${theirs}/review"] button`)]);
    const accepted = await t.http().get(`/api/v1/evidence/${theirs}`).set(bearer(t.users.admin)).expect(200);
    expect(accepted.body).toMatchObject({ reviewStatus: 'accepted', reviewedBy: t.users.governance_specialist.id });
    // Accepted evidence can still be withdrawn (rejected with a reason), and nothing else.
    expect(await offered(page, theirs)).toEqual(['Withdraw']);
    await browser.shot(page, 'evidence-review-accepted');

    // The admin may review (evidence:review) and is not the uploader of the specialist's item; the engineer may not.
    const admin = await browser.openPage();
    await browser.signIn(admin, t.users.admin, `/systems/${systemId}#evidence`);
    expect(await offered(admin, own)).toEqual(['Accept', 'Reject']);
    const engineer = await browser.openPage();
    await browser.signIn(engineer, t.users.engineer, `/systems/${systemId}#evidence`);
    expect(await engineer.$$('form[action$="/review"]')).toHaveLength(0);
    const refused = await t.http().get(`/api/v1/evidence/${own}`).set(bearer(t.users.engineer)).expect(200);
    expect(refused.body.allowedMoves).toEqual([
      { decision: 'accepted', allowed: false, refusal: expect.stringMatching(/evidence:review/) },
      { decision: 'rejected', allowed: false, refusal: expect.stringMatching(/evidence:review/) },
    ]);
  });
});
