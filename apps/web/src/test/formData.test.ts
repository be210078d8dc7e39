import { installFormDataThatReadsForms } from './formData';

describe('FormData in the test environment', () => {
  it('reads a form, as browsers do (React 19 does this on a submit during a transition)', () => {
    installFormDataThatReadsForms();
    document.body.innerHTML = `
      <form>
        <input name="credits" value="-10" />
        <textarea name="comment">Double top-up</textarea>
        <input type="checkbox" name="notify" checked />
        <input type="checkbox" name="skipped" />
        <input name="off" value="x" disabled />
        <select name="reason"><option value="A">A</option><option value="B" selected>B</option></select>
        <button type="submit" name="intent" value="add">Add</button>
        <button type="submit" name="other" value="no">Other</button>
      </form>`;
    const form = document.querySelector('form')!;
    const submitter = form.querySelector<HTMLButtonElement>('button[name=intent]');
    const data = new FormData(form, submitter);
    expect([...data.entries()]).toEqual([
      ['credits', '-10'],
      ['comment', 'Double top-up'],
      ['notify', 'on'],
      ['reason', 'B'],
      ['intent', 'add'],
    ]);
    // Still the FormData fetch accepts.
    expect(() => new Request('http://x.test', { method: 'POST', body: data })).not.toThrow();
  });
});
