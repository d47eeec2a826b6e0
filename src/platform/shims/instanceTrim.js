// Stands in for @babel/runtime-corejs3/core-js/instance/trim in the reader's single file:
// mimetext calls it as `trim(value).call(value)`, and every engine the reader supports has a
// native String.prototype.trim. core-js-pure's polyfill machinery would cost the reader ~50 KB.
export default function trim(value) {
  return value.trim;
}
