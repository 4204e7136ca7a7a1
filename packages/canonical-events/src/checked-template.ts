import type { TemplateField } from './field-vocabulary.js';
import type { DerivedField } from './derived-fields.js';

type Whitespace = ' ' | '\n' | '\t' | '\r';
type Trim<S extends string> = S extends `${Whitespace}${infer Rest}` ? Trim<Rest> : S extends `${infer Rest}${Whitespace}` ? Trim<Rest> : S;
// `{{{{x}}` is the text `{{` then `{{x}}`, as renderTemplate reads it.
type AfterLastOpen<S extends string> = S extends `${string}{{${infer Rest}` ? AfterLastOpen<Rest> : S;
type FieldNameOf<Tag extends string> =
  Trim<Tag> extends `${'#' | '^' | '/'}${infer Name}` ? Trim<Name>
  : Trim<Tag> extends `${infer Name}|${string}` ? Trim<Name>
  : Trim<Tag>;
type ShortName<Name extends string> = Name extends `template.${infer Short}` ? Short : Name;
type IsKnownField<Name extends string> = Name extends DerivedField ? true : ShortName<Name> extends TemplateField ? true : false;

/**
 * The placeholder names of a literal template that name no field (`never` when all do), as
 * `renderTemplate` would list them in `unknownPlaceholders`.
 */
// An accumulator keeps the recursion in tail position, so long templates check too.
export type UnknownPlaceholderNames<T extends string, Found extends string = never> =
  T extends `${string}{{${infer Tag}}}${infer Rest}` ?
    AfterLastOpen<Tag> extends `${string}${'{' | '}'}${string}` ? UnknownPlaceholderNames<Rest, Found>
    : IsKnownField<FieldNameOf<AfterLastOpen<Tag>>> extends true ? UnknownPlaceholderNames<Rest, Found>
    : UnknownPlaceholderNames<Rest, Found | FieldNameOf<AfterLastOpen<Tag>>>
  : Found;

/**
 * A popup template checked at compile time when it is a literal: `T` itself when every
 * placeholder (`{{x}}`, `{{template.x}}`, `{{x | fallback}}`, `{{#x}}…{{/x}}`) names a template
 * field or a derived one, else the message `unknown placeholder: x`, so
 * `renderTemplate('{{customer_nmae}}', event)` does not compile. A template only known at run time
 * (a `string`, as customers write them) is not checked here: `renderTemplate` reports its unknown
 * placeholders in `unknownPlaceholders`.
 */
export type CheckedTemplate<T extends string> = string extends T ? T : [UnknownPlaceholderNames<T>] extends [never] ? T : `unknown placeholder: ${UnknownPlaceholderNames<T>}`;
