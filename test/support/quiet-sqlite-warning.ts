// Vitest setup: the same filter the app's entry points install, so test output stays readable.
import { installWarningFilter } from '../../main/core/sqlite-warning.js';

installWarningFilter();
