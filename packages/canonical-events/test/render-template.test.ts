import { describe, expect, it } from 'vitest';
import { type CanonicalEvent, normalizeEvent, type RenderableEvent, renderTemplate } from '../src/index.js';
import { fixtureRow } from './fixture-rows.js';

function eventOf(row: unknown): CanonicalEvent {
  const result = normalizeEvent(row);
  if (!result.success) throw result.error;
  return result.data;
}

describe('renderTemplate', () => {
  const order = eventOf(fixtureRow('shopify', 'shopify/orders_create.json'));

  it('renders {{x}} and {{template.x}} from a real Shopify order', () => {
    const result = renderTemplate('{{customer_name}} from {{ template.city }} just bought {{product_name}} for {{price}} {{currency}}', order);
    expect(result).toEqual({ text: 'John S. from Shippington just bought IPod Nano - 8GB for 388.00 USD', unknownPlaceholders: [], missingFields: [], unsafePlaceholders: [] });
  });

  it('uses per-field fallbacks ("Someone") and reports missing fields', () => {
    const anonymous = eventOf(fixtureRow('stripe', 'stripe/checkout.session.completed.json'));
    const result = renderTemplate('{{customer_name}} from {{city}} paid {{price}}', anonymous, { fallbacks: { city: 'somewhere' } });
    expect(result).toEqual({ text: 'Someone from somewhere paid 30.00', unknownPlaceholders: [], missingFields: ['customer_name', 'city'], unsafePlaceholders: [] });
  });

  it('reports unknown placeholders instead of blanking them silently', () => {
    // @ts-expect-error a literal template with unknown placeholders does not compile
    const result = renderTemplate('{{customer_nmae}} bought {{product_name}} {{meta.provider}}', order);
    expect(result.text).toBe('{{customer_nmae}} bought IPod Nano - 8GB {{meta.provider}}');
    expect(result.unknownPlaceholders).toEqual(['customer_nmae', 'meta.provider']);
    const typedAtRunTime: string = '{{nope}}!';
    expect(renderTemplate(typedAtRunTime, order, { unknownPlaceholders: 'empty' }).text).toBe('!');
  });

  it('HTML-escapes values by default, not the template', () => {
    const event: CanonicalEvent = { ...order, normalized: { ...order.normalized, 'template.product_name': 'Tom & "Jerry" <3' } };
    expect(renderTemplate('<b>{{product_name}}</b>', event).text).toBe('<b>Tom &amp; &quot;Jerry&quot; &lt;3</b>');
    expect(renderTemplate('{{product_name}}', event, { escapeHtml: false }).text).toBe('Tom & "Jerry" <3');
    const anonymous: RenderableEvent = { ...order, normalized: { 'template.event_kind': 'purchase' } };
    expect(renderTemplate('{{customer_name}}', anonymous, { fallbacks: { customer_name: '<x>' } }).text).toBe('&lt;x&gt;');
  });

  it('formats prices by currency exponent and accepts custom formatters', () => {
    const yen: CanonicalEvent = { ...order, normalized: { ...order.normalized, 'template.price': 500, 'template.currency': 'JPY' } };
    expect(renderTemplate('{{price}}', yen).text).toBe('500');
    const formatted = renderTemplate('{{price}}', order, { formatters: { price: (value) => `$${String(value)}` } });
    expect(formatted.text).toBe('$388');
  });
});

describe('renderTemplate in HTML contexts', () => {
  const order = eventOf(fixtureRow('shopify', 'shopify/orders_create.json'));
  const hostile = (name: string): CanonicalEvent => ({ ...order, normalized: { ...order.normalized, 'template.product_name': name } });
  const INJECTION = 'x onmouseover=alert(1) `a` \'b\' "c" <d> &e';

  it('escapes & < > " \' ` = so text and quoted attributes are safe', () => {
    const event = hostile(INJECTION);
    const escaped = 'x onmouseover&#61;alert(1) &#96;a&#96; &#39;b&#39; &quot;c&quot; &lt;d&gt; &amp;e';
    expect(renderTemplate('<p>{{product_name}}</p>', event).text).toBe(`<p>${escaped}</p>`);
    for (const template of ['<img alt="{{product_name}}">', "<img alt='{{product_name}}'>", '<img  ALT = "{{ product_name }}" >', '<title>{{product_name}}</title>', '<textarea>{{product_name}}</textarea>']) {
      const result = renderTemplate(template, event);
      expect(result.unsafePlaceholders).toEqual([]);
      expect(result.text).toContain(escaped);
      expect(result.text.replace(escaped, '')).not.toMatch(/onmouseover|<d>/);
    }
  });

  it('refuses an unquoted attribute: <img alt={{product_name}}> gets no onmouseover', () => {
    const result = renderTemplate('<img alt={{product_name}} src="https://cdn.example/a.png">', hostile('x onmouseover=alert(1)'));
    expect(result.text).toBe('<img alt= src="https://cdn.example/a.png">');
    expect(result.unsafePlaceholders).toEqual([{ placeholder: 'product_name', context: 'unquoted-attribute' }]);
    expect(renderTemplate('<img alt=a{{product_name}}>', hostile('x')).unsafePlaceholders[0]?.context).toBe('unquoted-attribute');
  });

  it.each([
    ['<{{product_name}}>', 'tag'],
    ['<img {{product_name}}>', 'tag'],
    ['<img alt="a" {{product_name}}="b">', 'tag'],
    ['</p{{product_name}}>', 'tag'],
    ['<!-- {{product_name}} -->', 'comment'],
    ['<script>var name = "{{product_name}}";</script>', 'script-or-style'],
    ['<SCRIPT type="module">{{product_name}}</SCRIPT >', 'script-or-style'],
    ['<style>.a { content: "{{product_name}}" }</style>', 'script-or-style'],
    ['<div onclick="show(\'{{product_name}}\')">', 'event-handler-attribute'],
    ['<div style="color: {{product_name}}">', 'style-attribute'],
    ['<iframe srcdoc="{{product_name}}"></iframe>', 'srcdoc-attribute'],
    ['<svg><set attributeName="onclick" to="{{product_name}}"/></svg>', 'animation-attribute'],
    ['<a href="{{product_name}}">', 'url-attribute'],
    ['<a href=" java{{product_name}}">', 'url-attribute'],
    ['<a href="javascript:{{product_name}}">', 'url-attribute'],
    ['<a href="&#106;{{product_name}}">', 'url-attribute'],
  ])('refuses %s (%s)', (template, context) => {
    const result = renderTemplate(template, hostile('javascript:alert(1)'));
    expect(result.unsafePlaceholders).toEqual([{ placeholder: 'product_name', context }]);
    expect(result.text).not.toContain('alert');
  });

  it('neutralizes javascript: URLs from values, tabs and case included, and keeps http(s) and relative ones', () => {
    for (const url of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'vbscript:x', 'data:text/html,<script>alert(1)</script>']) {
      const result = renderTemplate('<a href="{{product_name}}">go</a>', hostile(url));
      expect(result.text).toBe('<a href="">go</a>');
      expect(result.unsafePlaceholders).toEqual([{ placeholder: 'product_name', context: 'url-attribute' }]);
    }
    expect(renderTemplate('<a href="{{product_url}}">{{product_name}}</a>', { ...order, normalized: { ...order.normalized, 'template.product_url': 'https://shop.example/p?a=1&b=2' } }).text).toBe(
      '<a href="https://shop.example/p?a&#61;1&amp;b&#61;2">IPod Nano - 8GB</a>',
    );
    expect(renderTemplate('<a href="/products/{{product_name}}">', hostile('javascript:alert(1)')).unsafePlaceholders).toEqual([]);
    expect(renderTemplate('<a href="https://shop.example/{{product_name}}">', hostile('javascript:alert(1)')).unsafePlaceholders).toEqual([]);
    const image: CanonicalEvent = { ...order, normalized: { ...order.normalized, 'template.product_image': 'https://cdn.shopify.example/a.png' } };
    expect(renderTemplate('<img src="{{product_image}}">', image).text).toBe('<img src="https://cdn.shopify.example/a.png">');
  });

  it('keeps tracking state across tags: text after a closed script or comment is text again', () => {
    const result = renderTemplate('<script>if (a < b) {}</script><p>{{product_name}}</p><!-- c --><b title="{{product_name}}">', hostile('<x>'));
    expect(result.unsafePlaceholders).toEqual([]);
    expect(result.text).toBe('<script>if (a < b) {}</script><p>&lt;x&gt;</p><!-- c --><b title="&lt;x&gt;">');
  });

  it('applies the same rules to fallbacks and formatted values', () => {
    const anonymous: RenderableEvent = { ...order, normalized: { 'template.event_kind': 'purchase' } };
    expect(renderTemplate('<img alt={{customer_name}}>', anonymous, { fallbacks: { customer_name: 'a onerror=x' } }).text).toBe('<img alt=>');
    expect(renderTemplate('<a href="{{price}}">', order, { formatters: { price: () => 'javascript:alert(1)' } }).text).toBe('<a href="">');
  });

  it('does no HTML analysis with escapeHtml: false (plain-text channels)', () => {
    expect(renderTemplate('<img alt={{product_name}}>', hostile('a b'), { escapeHtml: false })).toMatchObject({ text: '<img alt=a b>', unsafePlaceholders: [] });
  });
});

describe('renderTemplate sections, fallbacks, money and relative time', () => {
  const order = eventOf(fixtureRow('shopify', 'shopify/orders_create.json'));
  const stripe = eventOf(fixtureRow('stripe', 'stripe/checkout.session.completed.json'));

  it('renders a section only when its field is present, and inline fallbacks', () => {
    const template = '{{customer_name}}{{#city}} from {{city}}{{/city}} just bought {{#product_name}}{{product_name}}{{/product_name}}{{^product_name}}something{{/product_name}} for {{money}}';
    expect(renderTemplate(template, order).text).toBe('John S. from Shippington just bought IPod Nano - 8GB for $388.00');
    // The Stripe session: no product, no city. No more "just bought  for 30.00 USD".
    expect(renderTemplate(template, stripe).text).toBe('Someone just bought something for $30.00');
    expect(renderTemplate('{{customer_name | A shopper}} in {{city|your area}}', stripe).text).toBe('A shopper in your area');
  });

  it('formats money through Intl for the locale', () => {
    expect(renderTemplate('{{money}}', order, { locale: 'de-DE' }).text).toBe('388,00\u00a0$');
    const yen: CanonicalEvent = { ...order, normalized: { ...order.normalized, 'template.price': 500, 'template.currency': 'JPY' } };
    expect(renderTemplate('{{money}}', yen, { locale: 'ja-JP' }).text).toBe('￥500');
    const noCurrency: CanonicalEvent = { ...order, normalized: { ...order.normalized, 'template.currency': undefined as never } };
    expect(renderTemplate('{{money|a price}}', noCurrency)).toMatchObject({ text: 'a price', missingFields: ['money'] });
  });

  it('says how long ago, given the current time (rendering stays pure)', () => {
    const event: CanonicalEvent = { ...order, timestamp: '2025-01-15T10:30:00.000Z' };
    expect(renderTemplate('{{time_ago}}', event, { now: '2025-01-15T10:33:10Z' }).text).toBe('3 minutes ago');
    expect(renderTemplate('{{time_ago}}', event, { now: new Date('2025-01-16T10:30:00Z'), locale: 'de' }).text).toBe('gestern');
    expect(renderTemplate('{{time_ago}}', event, { now: Date.parse('2025-01-15T10:30:20Z') }).text).toBe('20 seconds ago');
    expect(renderTemplate('{{#time_ago}}, {{time_ago}}{{/time_ago}}!', event).text).toBe('!');
  });

  it('takes a list of locales, as Intl does', () => {
    const event: CanonicalEvent = { ...order, timestamp: '2025-01-15T10:30:00.000Z' };
    expect(renderTemplate('{{money}} {{time_ago}}', event, { locale: ['de-DE', 'fr'], now: '2025-01-16T10:30:00Z' }).text).toBe('388,00\u00a0$ gestern');
    expect(renderTemplate('{{money | a price}}', event, { locale: ['not a locale!'] }).text).toBe('a price');
  });

  it('reads an event up to five minutes after now (clock skew) as now, not "in 1 minute"', () => {
    const event: CanonicalEvent = { ...order, timestamp: '2025-01-15T10:30:00.000Z' };
    expect(renderTemplate('{{time_ago}}', event, { now: '2025-01-15T10:29:10Z' }).text).toBe('now');
    expect(renderTemplate('{{time_ago}}', event, { now: '2025-01-15T10:25:00Z', locale: 'de' }).text).toBe('jetzt');
    expect(renderTemplate('{{time_ago}}', event, { now: '2025-01-15T10:24:59Z' }).text).toBe('in 5 minutes');
  });

  it('caps section nesting so rendering never recurses without bound', () => {
    const deep = '{{#city}}'.repeat(100_000) + 'x' + '{{/city}}'.repeat(100_000);
    const result = renderTemplate(deep, order);
    expect(result.text).toContain('x');
    expect(result.unknownPlaceholders.length).toBeGreaterThan(0);
  });
});

describe('renderTemplate runs in linear time', () => {
  const order = eventOf(fixtureRow('shopify', 'shopify/orders_create.json'));
  // Not a timed test: at a million characters a quadratic parse (the old regular expression took
  // 1.4 s for "{{" and 2,000 spaces, four times more per doubling) would need days, far beyond
  // the test timeout, while a linear one takes milliseconds.
  const SIZE = 1_000_000;
  it.each([
    ['"{{" then spaces', `{{${' '.repeat(SIZE)}`],
    ['"{{" then spaces then "}}"', `{{${' '.repeat(SIZE)}}}`],
    ['"{{" repeated', '{{'.repeat(SIZE / 2)],
    ['"{{ a" repeated then "}}"', `${'{{ a'.repeat(SIZE / 4)}}}`],
    ['"}}" repeated', '}}'.repeat(SIZE / 2)],
    ['"{{#" repeated', '{{#'.repeat(SIZE / 3)],
    ['one long tag name', `<${'a'.repeat(SIZE)} title="{{city}}">`],
    ['one long URL attribute', `<a href="${'a'.repeat(SIZE)}{{product_name}}">`],
    ['many placeholders', '{{city}}'.repeat(SIZE / 8)],
    ['a long unclosed comment', `<!--${'-'.repeat(SIZE)}{{city}}`],
    ['a long script', `<script>${'<'.repeat(SIZE)}{{city}}`],
  ])('%s (a million characters)', (_name, template) => {
    const result = renderTemplate(template, order);
    expect(typeof result.text).toBe('string');
  });
});
