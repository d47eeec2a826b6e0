'use strict';
// Stands in for core-js-pure/internals/global-this.js (pulled in by mimetext through
// @babel/runtime-corejs3): its last-resort `Function('return this')()` is an eval that
// addons.thunderbird.net review and the project's no-eval rule reject. Every engine Sealpost
// runs on has `globalThis`.
module.exports = globalThis;
