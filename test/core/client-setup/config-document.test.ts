// Editing one property of a config file leaves every other byte alone: comments, trailing commas,
// indentation, line endings, a byte-order mark. A malformed file is refused with its position.
import { describe, expect, it } from 'vitest';
import { ConfigDocument } from '../../../main/core/client-setup/config-document.js';
import { vscodeConfig } from '../../support/client-homes.js';

const entry = { type: 'http', url: 'http://127.0.0.1:7777/mcp' };

describe('ConfigDocument', () => {
  it('adds an entry to a JSONC file without touching its comments, and removing it restores the text', () => {
    const doc = new ConfigDocument('/x/mcp.json', vscodeConfig);
    doc.set(['servers', 'gatehouse'], entry);
    expect(doc.text).toContain('// My MCP servers (VS Code reads this as JSON with comments)');
    expect(doc.text).toContain("/* GitHub's hosted server */");
    expect(doc.text).toContain('// a PAT');
    expect(doc.get(['servers', 'gatehouse'])).toEqual(entry);
    expect(doc.get(['servers', 'github', 'url'])).toBe('https://api.githubcopilot.com/mcp/');
    doc.remove(['servers', 'gatehouse']);
    expect(doc.text).toBe(vscodeConfig);
  });

  it('removes a middle, a first and a last entry with their own lines only', () => {
    const text = `{
  "mcpServers": {
    "a": { "command": "a" }, // about a
    // about b
    "b": {
      "command": "b"
    },
    "c": { "url": "https://c.example/mcp" } /* about c */
  }
}
`;
    const middle = new ConfigDocument('/x.json', text);
    middle.remove(['mcpServers', 'b']);
    expect(middle.text).toBe(`{
  "mcpServers": {
    "a": { "command": "a" }, // about a
    // about b
    "c": { "url": "https://c.example/mcp" } /* about c */
  }
}
`);
    const first = new ConfigDocument('/x.json', text);
    first.remove(['mcpServers', 'a']);
    expect(first.text).not.toContain('"a"');
    expect(first.text).toContain('// about b');
    const last = new ConfigDocument('/x.json', text);
    last.remove(['mcpServers', 'c']);
    // The comma before the last entry goes too, so strict JSON readers still accept the file.
    expect(last.text).toBe(`{
  "mcpServers": {
    "a": { "command": "a" }, // about a
    // about b
    "b": {
      "command": "b"
    }
  }
}
`);
    expect(JSON.parse(last.text.replace(/\/\/.*$/gm, ''))).toEqual({
      mcpServers: { a: { command: 'a' }, b: { command: 'b' } },
    });
  });

  it('puts a removed entry back verbatim, comments inside it included', () => {
    const text = `{
  "servers": {
    "keep": { "url": "https://keep.example" },
    "fs": {
      // the workspace only
      "command": "npx",
      "args": ["-y", "fs-server"]
    }
  }
}
`;
    const doc = new ConfigDocument('/x.json', text);
    const source = doc.sourceOf(['servers', 'fs'])!;
    const value = doc.get(['servers', 'fs']);
    doc.remove(['servers', 'fs']);
    doc.set(['servers', 'fs'], value, source);
    expect(doc.text).toBe(text);
  });

  it('puts a removed entry back in its place: after the entry it followed, or first', () => {
    const text = `{
  "servers": {
    "a": { "command": "a" },
    "b": {
      "command": "b"
    },
    "c": { "url": "https://c.example" }
  }
}
`;
    for (const name of ['a', 'b', 'c']) {
      const doc = new ConfigDocument('/x.json', text);
      const at = ['servers', name];
      const after = doc.previousKey(at)!;
      const [value, source] = [doc.get(at), doc.sourceOf(at)];
      doc.remove(at);
      doc.set(at, value, source, { after });
      expect(doc.text, name).toBe(text);
    }
    const inline = new ConfigDocument('/x.json', '{ "servers": { "a": 1, "b": 2, "c": 3 } }\n');
    inline.remove(['servers', 'b']);
    inline.set(['servers', 'b'], 2, undefined, { after: 'a' });
    expect(inline.text).toBe('{ "servers": { "a": 1, "b": 2, "c": 3 } }\n');
    // The entry it followed is gone: it goes last.
    const moved = new ConfigDocument('/x.json', '{ "servers": { "a": 1, "c": 3 } }\n');
    moved.set(['servers', 'b'], 2, undefined, { after: 'gone' });
    expect(Object.keys(moved.get(['servers']) as object)).toEqual(['a', 'c', 'b']);
  });

  it('keeps tabs, CRLF line endings and a byte-order mark', () => {
    const text = '\ufeff{\r\n\t"mcpServers": {\r\n\t\t"a": { "command": "a" }\r\n\t}\r\n}\r\n';
    const doc = new ConfigDocument('/x.json', text);
    doc.set(['mcpServers', 'gatehouse'], { url: 'http://127.0.0.1:1/mcp' });
    expect(
      doc.text.startsWith(
        '\ufeff{\r\n\t"mcpServers": {\r\n\t\t"a": { "command": "a" },\r\n\t\t"gatehouse": {\r\n',
      ),
    ).toBe(true);
    expect(doc.text).not.toMatch(/[^\r]\n/);
    doc.remove(['mcpServers', 'gatehouse']);
    expect(doc.text).toBe(text);
  });

  it('starts an empty or missing file as an object', () => {
    for (const text of [null, '', '  \n']) {
      const doc = new ConfigDocument('/x.json', text);
      doc.set(['mcpServers', 'gatehouse'], { url: 'u' });
      expect(JSON.parse(doc.text)).toEqual({ mcpServers: { gatehouse: { url: 'u' } } });
    }
  });

  it('refuses a malformed file, naming it with the line and column of the problem', () => {
    expect(
      () =>
        new ConfigDocument(
          '/home/me/.cursor/mcp.json',
          '{\n  "mcpServers": {\n    "a": 1\n    "b": 2\n  }\n}',
        ),
    ).toThrow(
      '/home/me/.cursor/mcp.json is not valid JSON: expected a comma at line 4, column 5. Fix the file (or move it away), then try again; Gatehouse changed nothing.',
    );
    expect(() => new ConfigDocument('/x.json', '{ "a": "unterminated }')).toThrow(
      '/x.json is not valid JSON: a string is not closed at line 1, column 8.',
    );
    expect(() => new ConfigDocument('/x.json', '[1, 2]')).toThrow(
      '/x.json is not valid JSON: the file holds a list, not an object.',
    );
  });

  it('refuses a server list that is not an object', () => {
    const doc = new ConfigDocument('/x.json', '{ "mcpServers": ["a"] }');
    expect(() => doc.objectAt(['mcpServers'])).toThrow(
      '/x.json is not valid JSON: "mcpServers" is a list where a server list (an object) belongs.',
    );
  });
});
