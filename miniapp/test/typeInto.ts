import { fireEvent, waitFor } from '@testing-library/react';

/**
 * Types into the textarea inside `container` once it exists: NutUI's TextArea renders Taro's
 * `taro-textarea-core` web component, whose inner <textarea> appears only when the element upgrades.
 */
export async function typeInto(container: string, text: string): Promise<void> {
  const box = await waitFor(() => {
    const el = document.querySelector<HTMLTextAreaElement>(`${container} textarea`);
    if (!el) throw new Error(`${container} has no textarea yet`);
    return el;
  });
  fireEvent.input(box, { target: { value: text } });
}
