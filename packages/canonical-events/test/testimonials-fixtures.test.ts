import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NativeTestimonialSchema } from '../src/index.js';
import { meta, normalizeRow } from './fixture-rows.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('native testimonial form (provider testimonials)', () => {
  it('a full submission: Sophie M., 5/5, title and text cleaned; email, company and role never shown', () => {
    const body = load('native-testimonial.json');
    expect(NativeTestimonialSchema.safeParse(body).success).toBe(true);
    const event = normalizeRow({ id: 'n-1', integration_type: 'testimonials', event_data: body, created_at: '2026-10-04T00:00:00Z' });
    expect(event.provider_event_type).toBe('testimonial.submitted');
    expect(event.timestamp).toBe('2026-10-03T12:22:10.512Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'testimonial',
      'template.customer_name': 'Sophie M.',
      'template.first_name': 'Sophie',
      'template.last_initial': 'M',
      'template.rating': 5,
      'template.rating_max': 5,
      'template.review_title': 'Sales up in a week',
      'template.review_text':
        'We added the popups on Monday and saw more checkouts by Friday. Setup was painless & support answered within the hour.',
      'template.avatar_url': 'https://cdn.example.com/avatars/sophie.jpg',
      'template.product_name': 'Social Proof Pro',
      ...meta('testimonials', 'testimonial.submitted', { 'meta.source_object_id': 'tst_01HZX8K2M4Q7' }),
    });
    const text = JSON.stringify(event.normalized);
    for (const secret of ['Martin"', 'sophie.martin', 'Atelier', 'Founder']) expect(text).not.toContain(secret);
  });

  it('camelCase spellings, a rating sent as a string and unix seconds, through the "native" alias', () => {
    const body = load('native-testimonial-camel.json');
    const event = normalizeRow({ id: 'n-2', integration_type: 'native', event_data: body });
    expect(event.provider).toBe('testimonials');
    expect(event.timestamp).toBe('2026-01-01T00:00:00.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'testimonial',
      'template.customer_name': 'kenji T.',
      'template.first_name': 'kenji',
      'template.last_initial': 'T',
      'template.rating': 4,
      'template.rating_max': 5,
      'template.review_text': 'Fast shipping, lovely packaging.',
      'template.avatar_url': 'https://cdn.example.com/avatars/kenji.png',
      'template.media_url': 'https://videos.example.com/kenji.mp4',
      ...meta('testimonials', 'testimonial.submitted', { 'meta.source_object_id': '4812' }),
    });
  });

  it('edges: "Anonymous" is no name, a rating above its scale is not shown, HTML never survives', () => {
    const event = normalizeRow({
      id: 'n-3',
      integration_type: 'testimonial',
      created_at: '2026-11-01T09:00:00Z',
      event_data: { name: 'Anonymous', rating: 7, text: '<script>alert(1)</script><b>Love it</b>' },
    });
    expect(event.normalized['template.customer_name']).toBeUndefined();
    expect(event.normalized['meta.is_anonymous']).toBe(true);
    expect(event.normalized['template.rating']).toBeUndefined();
    expect(event.normalized['template.rating_max']).toBeUndefined();
    expect(String(event.normalized['template.review_text'])).not.toMatch(/[<>]/);
    expect(String(event.normalized['template.review_text'])).toContain('Love it');
    expect(event.normalized['meta.missing']).toBe('template.customer_name,template.avatar_url');
    // No time in the body: the row's created_at, and meta says so.
    expect(event.normalized['meta.timestamp_source']).toBe('row.created_at');
  });
});

describe('NativeTestimonialSchema', () => {
  const issuePaths = (value: unknown) => {
    const result = NativeTestimonialSchema.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
  };

  it('accepts a minimal submission and turns a numeric string rating into a number', () => {
    const result = NativeTestimonialSchema.safeParse({ name: 'Jo', rating: '4', text: 'Nice' });
    expect(result.success && result.data.rating).toBe(4);
  });

  it('names the field of each bad value', () => {
    expect(issuePaths({ name: 'Jo', rating: 6, text: 'x' })).toEqual(['rating']);
    expect(issuePaths({ name: 'Jo', rating: 'four', text: 'x' })).toEqual(['rating']);
    expect(issuePaths({ name: 'Jo', text: 'x', avatar_url: 'javascript:alert(1)' })).toEqual(['avatar_url']);
    expect(issuePaths({ name: 'Jo', text: 'x', email: 'not-an-email' })).toEqual(['email']);
    expect(issuePaths({ name: 'Jo', text: 'x', submitted_at: 'yesterday' })).toEqual(['submitted_at']);
    expect(issuePaths({ name: 'Jo' })).toEqual(['text']);
    expect(issuePaths({ name: '', rating: 5 })).toEqual(['name']);
  });

  it('allows another scale', () => {
    expect(issuePaths({ rating: 9, rating_max: 10 })).toEqual([]);
  });
});
