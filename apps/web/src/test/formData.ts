/**
 * jest-fixed-jsdom replaces jsdom's FormData with Node's (undici's), so that fetch and msw can send
 * one; but Node's cannot read a <form>: `new FormData(form)` throws "Argument 1 could not be
 * converted to: undefined". React 19 makes exactly that call when a form is submitted while a
 * transition is pending (to reset the form afterwards), so a submit that happened to coincide with
 * a router or Suspense transition failed at random (CustomerPage.test.tsx, 1 run in 6).
 *
 * Browsers' FormData accepts a form (and the button that submitted it); so does this one, built
 * on Node's so that fetch still accepts it. The entries follow the HTML "constructing the entry
 * list" rules for the controls our forms use.
 */
export function installFormDataThatReadsForms(): void {
  const NodeFormData = globalThis.FormData;
  class FormDataThatReadsForms extends NodeFormData {
    constructor(form?: HTMLFormElement, submitter?: HTMLElement | null) {
      super();
      if (form) for (const [name, value] of formEntries(form, submitter)) this.append(name, value);
    }
  }
  globalThis.FormData = FormDataThatReadsForms as typeof FormData;
}

function formEntries(
  form: HTMLFormElement,
  submitter?: HTMLElement | null,
): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const element of Array.from(form.elements)) {
    const control = element as HTMLInputElement & HTMLSelectElement;
    if (!control.name || control.disabled || control.closest('fieldset:disabled')) continue;
    const type = (control.type ?? '').toLowerCase();
    if (['submit', 'button', 'reset', 'image'].includes(type) || control.tagName === 'BUTTON') {
      if (control === submitter) entries.push([control.name, control.value]);
      continue;
    }
    if ((type === 'checkbox' || type === 'radio') && !control.checked) continue;
    if (control.tagName === 'SELECT') {
      for (const option of Array.from(control.selectedOptions)) {
        entries.push([control.name, option.value]);
      }
      continue;
    }
    if (type === 'file') continue; // no file inputs in this app
    entries.push([control.name, control.value]);
  }
  return entries;
}
