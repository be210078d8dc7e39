import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';
import { server } from './src/test/server';
import { installFormDataThatReadsForms } from './src/test/formData';

installFormDataThatReadsForms();

// Screens are loaded on first visit (app/lazyPage.tsx), so a test's first `findBy…` also waits
// for the screen's modules to load, which takes more than testing-library's 1 s default on a
// busy machine.
configure({ asyncUtilTimeout: 5000 });

// jsdom lacks what Mantine measures the page with.
Object.defineProperty(window, 'matchMedia', {
  writable: true,
  value: (query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => {},
    removeListener: () => {},
    addEventListener: () => {},
    removeEventListener: () => {},
    dispatchEvent: () => false,
  }),
});
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
window.ResizeObserver = ResizeObserverStub;
Element.prototype.scrollIntoView = () => {};
window.HTMLElement.prototype.scrollTo = () => {};

// jest-fixed-jsdom gives the page Node's AbortController (fetch and msw need it), but jsdom's
// addEventListener only accepts its own AbortSignal, and Mantine passes `signal`. Honour the
// signal by hand instead.
const addEventListener = EventTarget.prototype.addEventListener;
EventTarget.prototype.addEventListener = function (
  this: EventTarget,
  type: string,
  listener: EventListenerOrEventListenerObject | null,
  options?: boolean | AddEventListenerOptions,
) {
  if (typeof options !== 'object' || !options.signal) {
    return addEventListener.call(this, type, listener, options);
  }
  const { signal, ...rest } = options;
  if (signal.aborted) return;
  addEventListener.call(this, type, listener, rest);
  signal.addEventListener('abort', () => this.removeEventListener(type, listener, rest), {
    once: true,
  });
};

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  window.localStorage.clear();
});
afterAll(() => server.close());
