import type { Locator, Page } from 'playwright-core';

/**
 * Polling matchers for playwright-core locators under jest (playwright's own `expect` ships with its
 * test runner, which this project does not use). Each waits up to 10 s for the condition — or, with
 * `.not`, for its opposite — like playwright's web-first assertions.
 */
const TIMEOUT = 10_000;

type Ctx = { isNot: boolean; utils: { printReceived(v: unknown): string; printExpected(v: unknown): string } };

async function poll(ctx: Ctx, name: string, read: () => Promise<unknown>, test: (v: any) => boolean, expected: unknown) {
  const deadline = Date.now() + TIMEOUT;
  let value: unknown;
  let ok = false;
  for (;;) {
    try {
      value = await read();
      ok = test(value);
    } catch (e) {
      value = `(error: ${(e as Error).message})`;
      ok = false;
    }
    if (ok !== ctx.isNot || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    pass: ok,
    message: () => `${name}: expected${ctx.isNot ? ' not' : ''} ${ctx.utils.printExpected(expected)}, received ${ctx.utils.printReceived(value)}`,
  };
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const matches = (v: string, e: string | RegExp, exact: boolean) => (e instanceof RegExp ? e.test(v) : exact ? v === norm(e) : v.includes(norm(e)));
const texts = async (l: Locator) => norm((await l.allTextContents()).join(' '));
const firstAttr = async (l: Locator, name: string) => ((await l.count()) ? l.first().getAttribute(name, { timeout: 1000 }) : null);

expect.extend({
  toHaveText(l: Locator, e: string | RegExp) {
    return poll(this as unknown as Ctx, 'toHaveText', () => texts(l), (v) => matches(v, e, true), e);
  },
  toContainText(l: Locator, e: string | RegExp) {
    return poll(this as unknown as Ctx, 'toContainText', () => texts(l), (v) => matches(v, e, false), e);
  },
  toHaveAttribute(l: Locator, name: string, e: string | RegExp) {
    return poll(this as unknown as Ctx, `toHaveAttribute(${name})`, () => firstAttr(l, name), (v) => v !== null && matches(v, e, true), e);
  },
  toHaveClass(l: Locator, e: RegExp) {
    return poll(this as unknown as Ctx, 'toHaveClass', () => firstAttr(l, 'class'), (v) => v !== null && e.test(v), e);
  },
  toHaveCount(l: Locator, n: number) {
    return poll(this as unknown as Ctx, 'toHaveCount', () => l.count(), (v) => v === n, n);
  },
  toHaveValue(l: Locator, e: string) {
    return poll(this as unknown as Ctx, 'toHaveValue', () => l.first().inputValue({ timeout: 1000 }), (v) => v === e, e);
  },
  toHaveURL(p: Page, e: RegExp) {
    return poll(this as unknown as Ctx, 'toHaveURL', async () => decodeURIComponent(p.url()), (v) => e.test(v), e);
  },
  toBeVisible(l: Locator) {
    return poll(this as unknown as Ctx, 'toBeVisible', () => l.first().isVisible(), (v) => v === true, 'visible');
  },
  toBeFocused(l: Locator) {
    return poll(this as unknown as Ctx, 'toBeFocused', () => l.first().evaluate((el) => el === (globalThis as any).document.activeElement, undefined, { timeout: 1000 }), (v) => v === true, 'focused');
  },
});

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toHaveText(expected: string | RegExp): Promise<R>;
      toContainText(expected: string | RegExp): Promise<R>;
      toHaveAttribute(name: string, value: string | RegExp): Promise<R>;
      toHaveCount(n: number): Promise<R>;
      toHaveClass(re: RegExp): Promise<R>;
      toHaveValue(v: string): Promise<R>;
      toHaveURL(re: RegExp): Promise<R>;
      toBeVisible(): Promise<R>;
      toBeFocused(): Promise<R>;
    }
  }
}

export {};
