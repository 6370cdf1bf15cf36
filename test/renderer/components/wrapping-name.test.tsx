// Names wrap at their natural breaks (after "/", ".", "-", "__"), never mid-word: the parts a name is
// cut into, and the <wbr> between them.
import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { nameParts, WrappingName } from '../../../renderer/src/components/wrapping-name.js';

describe('WrappingName', () => {
  it('cuts a name after each separator, keeping the separator with the part before it', () => {
    expect(nameParts('io.github.modelcontextprotocol/server-everything')).toEqual([
      'io.',
      'github.',
      'modelcontextprotocol/',
      'server-',
      'everything',
    ]);
    expect(nameParts('filesystem__write_file')).toEqual(['filesystem__', 'write_', 'file']);
    expect(nameParts('Consent requests')).toEqual(['Consent requests']);
  });

  it('offers a break after each part and nowhere else, and reads as the whole name', () => {
    const { container } = render(<WrappingName name="io.github.acme/weather-mcp" />);
    const name = container.querySelector('span.name')!;
    expect(name.textContent).toBe('io.github.acme/weather-mcp');
    expect(name.innerHTML).toBe('io.<wbr>github.<wbr>acme/<wbr>weather-<wbr>mcp');
  });
});
