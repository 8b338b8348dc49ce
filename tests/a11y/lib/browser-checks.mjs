// Checks that axe-core cannot make: a keyboard walk, reflow at 320 CSS px, and
// a page load with JavaScript disabled. Each check takes a fresh page and
// returns a list of failure messages (empty when the page passes).

// The computed properties compared between a focused and an unfocused
// element: any difference counts as a visible focus indicator.
const FOCUS_PROPS = ['outline-style', 'outline-width', 'box-shadow', 'background-color'];

// Transitions would let a focused element's computed style still equal its
// unfocused one at the moment it is read.
const NO_MOTION_CSS = '*,*::before,*::after{transition:none!important;animation:none!important}';

async function open(context, url, viewport) {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const response = await page.goto(url, { waitUntil: 'load' });
  if (!response || response.status() !== 200) {
    await page.close();
    throw new Error(`HTTP ${response ? response.status() : 'no response'}`);
  }
  return page;
}

/**
 * Tabs through the page from the top. The first stop must be a skip link;
 * every visible link and the header's language switch must be reached within
 * (focusable elements + 5) Tabs; each stop must show a focus indicator.
 */
export async function keyboardWalk(context, url) {
  const page = await open(context, url);
  try {
    await page.addStyleTag({ content: NO_MOTION_CSS });
    // Record every element's unfocused style before anything gets focus, and
    // the links a sighted keyboard user must be able to reach.
    const { focusableCount } = await page.evaluate((props) => {
      const styleOf = (el) => {
        const cs = getComputedStyle(el);
        return props.map((p) => cs.getPropertyValue(p)).join(' | ');
      };
      const isVisible = (el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden';
      };
      const describe = (el) => {
        const text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
        const href = el.getAttribute('href');
        return `<${el.localName}${el.id ? `#${el.id}` : ''}${href !== null ? ` href="${href}"` : ''}> "${text}"`;
      };
      // Chromium also makes scrollable boxes (a wide <pre>, say) Tab stops.
      const isScroller = (el) => {
        const { overflowX, overflowY } = getComputedStyle(el);
        return (
          (/auto|scroll/.test(overflowX) && el.scrollWidth > el.clientWidth) ||
          (/auto|scroll/.test(overflowY) && el.scrollHeight > el.clientHeight)
        );
      };
      const tabbable = document.querySelectorAll(
        'a[href], area[href], button, input, select, textarea, iframe, summary, audio[controls], video[controls], [tabindex], [contenteditable]',
      );
      const focusable = [...tabbable]
        .filter((el) => !el.disabled && el.tabIndex >= 0 && isVisible(el))
        .concat([...document.body.querySelectorAll('*')].filter(isScroller));
      window.__a11yWalk = {
        styleOf,
        describe,
        base: new Map([...document.querySelectorAll('*')].map((el) => [el, styleOf(el)])),
        links: [...document.querySelectorAll('a[href]')].filter(isVisible),
        langSwitch: [...document.querySelectorAll('header a[hreflang], [role="banner"] a[hreflang]')],
        reached: new Set(),
      };
      return { focusableCount: focusable.length };
    }, FOCUS_PROPS);

    const failures = [];
    const steps = [];
    const maxTabs = focusableCount + 5;
    for (let i = 0; i < maxTabs; i++) {
      await page.keyboard.press('Tab');
      const step = await page.evaluate(() => {
        const w = window.__a11yWalk;
        const el = document.activeElement;
        if (!el || el === document.body || el === document.documentElement) return null;
        const seen = w.reached.has(el);
        w.reached.add(el);
        const before = w.base.get(el);
        const href = el.getAttribute('href') || '';
        return {
          desc: w.describe(el),
          seen,
          isSkipLink: el.localName === 'a' && href.startsWith('#') && /skip|neidio/i.test(el.textContent),
          // null when the element did not exist at load, so it cannot be compared.
          focusChanged: before === undefined ? null : before !== w.styleOf(el),
        };
      });
      // Focus left the document (to the browser UI) or wrapped around: done.
      if (!step || step.seen) break;
      steps.push(step);
      if (step.focusChanged === false) failures.push(`no visible focus indicator on ${step.desc}`);
      if (step.focusChanged === null) failures.push(`focus indicator not comparable on ${step.desc} (added after load)`);
    }

    if (!steps.length) failures.push('Tab never focused anything');
    else if (!steps[0].isSkipLink) failures.push(`first Tab stop is not a skip link: ${steps[0].desc}`);

    const missed = await page.evaluate(() => {
      const w = window.__a11yWalk;
      return {
        noLangSwitch: w.langSwitch.length === 0,
        langSwitch: w.langSwitch.filter((el) => !w.reached.has(el)).map(w.describe),
        links: w.links.filter((el) => !w.reached.has(el)).map(w.describe),
      };
    });
    if (missed.noLangSwitch) failures.push('no language-switch link (a[hreflang]) in the header');
    for (const desc of missed.langSwitch) failures.push(`language-switch link not reached by Tab: ${desc}`);
    for (const desc of missed.links) failures.push(`visible link not reached within ${maxTabs} Tabs: ${desc}`);
    return failures;
  } finally {
    await page.close();
  }
}

/** WCAG 1.4.10: no horizontal scrolling at 320 CSS px wide. */
export async function reflow(context, url) {
  const page = await open(context, url, { width: 320, height: 640 });
  try {
    const result = await page.evaluate(() => {
      const width = document.documentElement.scrollWidth;
      if (width <= 320) return { width, culprits: [] };
      // Name the innermost elements that stick out, which are the ones to fix.
      const over = (el) => el.getBoundingClientRect().right > 320.5;
      const culprits = [...document.body.querySelectorAll('*')]
        .filter((el) => over(el) && ![...el.children].some(over))
        .slice(0, 3)
        .map((el) => `<${el.localName}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).trim().split(/\s+/).join('.')}` : ''}>`);
      return { width, culprits };
    });
    if (result.width <= 320) return [];
    return [`scrolls horizontally at 320px: scrollWidth ${result.width}${result.culprits.length ? `; widest: ${result.culprits.join(', ')}` : ''}`];
  } finally {
    await page.close();
  }
}

/**
 * On a small phone (320 x 568 CSS px) the page's heading starts on the first screen, without
 * JavaScript: the menu folds away rather than filling the screen.
 */
export async function firstScreen(noJsContext, url) {
  const page = await open(noJsContext, url, { width: 320, height: 568 });
  try {
    const box = await page.locator('h1').first().boundingBox();
    if (!box) return ['no visible h1 at 320 x 568'];
    if (box.y < 568) return [];
    return [`the h1 starts ${Math.round(box.y)}px down, below the first screen at 320 x 568`];
  } finally {
    await page.close();
  }
}

/** The page must still load with its heading and main landmark without JS. */
export async function withoutJavaScript(noJsContext, url) {
  const page = await open(noJsContext, url);
  try {
    const failures = [];
    // Locators run in Playwright's own isolated world, so they work with page
    // scripts disabled.
    if ((await page.locator('h1').count()) === 0) failures.push('no h1 with JavaScript disabled');
    if ((await page.locator('main, [role="main"]').count()) === 0) {
      failures.push('no main landmark with JavaScript disabled');
    }
    return failures;
  } finally {
    await page.close();
  }
}
