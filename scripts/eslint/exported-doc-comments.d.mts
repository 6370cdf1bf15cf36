// Types for exported-doc-comments.mjs, which eslint.config.js and its test import.
import type { Rule } from 'eslint';
export const exportedDocComments: Rule.RuleModule;
