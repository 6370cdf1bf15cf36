// The stamp of the first sight this build ships, known without loading it (policy/first-sight-loader.ts):
// what first sight judged clean is recorded with this stamp (store/first-sight-clean.ts), and a record
// made under another stamp is judged again. A retrained first-sight-model.json or a changed rule in
// first-sight.ts or first-sight-*.ts (this module and the loader excepted), or in what they import from
// elsewhere (visible-text.ts, secrets/secret-locations.ts, unhomoglyph, opencc-js), is a new first sight: bump
// FIRST_SIGHT_VERSION and set FIRST_SIGHT_SOURCES to the sha256 the pins test
// (test/core/policy/first-sight-stamp.test.ts) prints, which fails until the stamp is bumped.

/** Goes up with every change of first sight's judging (its rules, its model). */
const FIRST_SIGHT_VERSION = 34;

/**
 * The sha256 of first sight's sources and model this version was stamped for (the pins test's hash).
 * @internal Exported for its tests only: the pins test compares it with the sources in the tree.
 */
export const FIRST_SIGHT_SOURCES = 'a58ae2d8c9895bb5079b9c1a0fd3a474f6d9fd2811b06d16cee6fb8bbe2ee1c7';

/** The stamp of this build's first sight: a record of a clean definition holds only under it. */
export const FIRST_SIGHT_STAMP = `${FIRST_SIGHT_VERSION}/${FIRST_SIGHT_SOURCES}`;
