/**
 * The reader's catalogs are written grouped and without the `reader.` prefix of their keys
 * (`error: { damaged: … }` for `reader.error.damaged`) and get their flat keys here: the reader is
 * one HTML file with every language inside, and six copies of every prefix cost it about 3 KB.
 * The keys the rest of the code sees are unchanged.
 */

/** Texts as written: a text, or one level of grouped texts. */
type WrittenTexts = Readonly<Record<string, string | Readonly<Record<string, string>>>>;

/** `[flat key, text]` for every text of `Texts`. */
type Entries<Texts> = {
  [Key in keyof Texts & string]: Texts[Key] extends string
    ? [Key, Texts[Key]]
    : {
        [Sub in keyof Texts[Key] & string]: [`${Key}.${Sub}`, Texts[Key][Sub]];
      }[keyof Texts[Key] & string];
}[keyof Texts & string];

/** The flat catalog of `Texts`: `reader.error.damaged` for `error: { damaged }`. */
export type PrefixedTexts<Texts> = {
  readonly [Entry in Entries<Texts> as `reader.${Entry[0]}`]: Entry[1];
};

/** Any text type widened to `string`: the shape every translation must have. */
export type TextsShape<Texts> = {
  readonly [Key in keyof Texts]: Texts[Key] extends string ? string : TextsShape<Texts[Key]>;
};

/** `{ 'language.name': name, 'reader.<key>': text, … }` from the language's name and texts. */
export function readerCatalog<const Texts extends WrittenTexts>(
  name: string,
  texts: Texts,
): { readonly 'language.name': string } & PrefixedTexts<Texts> {
  const catalog: Record<string, string> = { 'language.name': name };
  for (const [key, value] of Object.entries(texts)) {
    if (typeof value === 'string') catalog[`reader.${key}`] = value;
    else for (const [sub, text] of Object.entries(value)) catalog[`reader.${key}.${sub}`] = text;
  }
  return catalog as { readonly 'language.name': string } & PrefixedTexts<Texts>;
}
