// Svelte 5 with runes everywhere; a11y warnings stay on (house style rule 11).
export default {
  compilerOptions: { runes: true },
};
