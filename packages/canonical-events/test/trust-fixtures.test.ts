import { describe, expect, it } from 'vitest';
import { fixtureRow, loadPayload, meta, normalizeRow } from './fixture-rows.js';

const FILE = 'trust_usetrust/testimonial.json';

describe('Trust (usetrust.io) payloads', () => {
  it('testimonial: Carsten S., 5/5, the text and photo; seven fractional digits keep their milliseconds', () => {
    const event = normalizeRow(fixtureRow('trust_usetrust', FILE));
    expect(event.provider).toBe('trust');
    expect(event.provider_event_type).toBe('testimonial');
    expect(event.timestamp).toBe('2022-06-12T08:28:02.578Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'testimonial',
      'template.customer_name': 'Carsten S.',
      'template.first_name': 'Carsten',
      'template.last_initial': 'S',
      'template.rating': 5,
      'template.rating_max': 5,
      'template.review_text':
        "Always fantastic support. I love that Trust keep bringing out brilliant features on a recent basis that makes me and my clients go 'Wow'",
      'template.avatar_url': 'https://dealmaker.blob.core.windows.net/images/t_0a9ab71cd20f4bf1b11130e71479743d/silhouette_male.png',
      ...meta('trust', 'testimonial', { 'meta.source_object_id': '5339589b-69d4-4164-855a-92a1c2108eab' }),
    });
    // The card's title (a full name), the employer and the email stay out of every popup field.
    const text = JSON.stringify(event.normalized);
    for (const secret of ['Schaefer', 'Adrian Dray', 'Consulting', 'email', '@']) expect(text).not.toContain(secret);
  });

  it('a testimonial without publishing consent is custom; a video becomes media_url', () => {
    const body = { ...(loadPayload(FILE) as object), gaveConsent: false, videoUrl: 'https://videos.example.com/t/1.mp4' };
    const event = normalizeRow({ id: 'tr-1', integration_type: 'trust', event_data: body });
    expect(event.normalized['template.event_kind']).toBe('custom');
    expect(event.normalized['template.media_url']).toBe('https://videos.example.com/t/1.mp4');
  });

  it('an anonymous testimonial with HTML and an email in the text: no name, tags gone, email redacted', () => {
    const body = { id: 7, created: '2024-01-02 03:04:05', firstname: 'null', lastname: '', stars: '4', testimonialText: '<p>Mail me at jo@example.com &ndash; great!</p>' };
    const event = normalizeRow({ id: 'tr-2', integration_type: 'usetrust', event_data: body });
    expect(event.normalized['template.customer_name']).toBeUndefined();
    expect(event.normalized['meta.is_anonymous']).toBe(true);
    expect(event.normalized['template.rating']).toBe(4);
    expect(event.normalized['template.rating_max']).toBe(5);
    expect(event.normalized['template.review_text']).not.toMatch(/<|jo@example\.com/);
    expect(event.normalized['template.review_text']).toContain('– great!');
    expect(event.normalized['meta.source_object_id']).toBe('7');
    expect(event.timestamp).toBe('2024-01-02T03:04:05.000Z');
  });

  it('stars outside 1..5 are not shown, and neither is the scale; a fraction at .9999999 stays in its millisecond', () => {
    const body = { ...(loadPayload(FILE) as object), stars: 0, created: '2022-06-12T23:59:59.9999999-02:00' };
    const event = normalizeRow({ id: 'tr-3', integration_type: 'trust', event_data: body });
    expect(event.normalized['template.rating']).toBeUndefined();
    expect(event.normalized['template.rating_max']).toBeUndefined();
    // Truncated like .NET and Date#toISOString do, never rounded up into the next day.
    expect(event.timestamp).toBe('2022-06-13T01:59:59.999Z');
  });
});
