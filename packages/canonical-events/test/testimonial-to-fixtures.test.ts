import { describe, expect, it } from 'vitest';
import { fixtureRow, loadPayload, meta, normalizeRow } from './fixture-rows.js';

const FILE = 'testimonial_to/create.json';

describe('testimonial.to payloads', () => {
  it('create (video): John D., the video and its thumbnail; no text; the masked id is not an id', () => {
    const event = normalizeRow(fixtureRow('testimonial_to', FILE));
    expect(event.provider_event_type).toBe('create');
    expect(event.timestamp).toBe('2022-05-10T18:07:34.000Z');
    expect(event.normalized).toEqual({
      'template.event_kind': 'testimonial',
      'template.customer_name': 'John D.',
      'template.first_name': 'John',
      'template.last_initial': 'D',
      'template.avatar_url': 'https://image.testimonial.to/*****/thumbnail.jpg',
      'template.media_url': 'https://stream.testimonial.to/*****/medium.mp4',
      ...meta('testimonial_to', 'create', { 'meta.missing': 'template.review_text' }),
    });
    expect(JSON.stringify(event.normalized)).not.toContain('johndoe@gmail.com');
  });

  it('create (text): the text and the 5-star rating, the author photo before the thumbnail, a real id kept', () => {
    const body = loadPayload(FILE) as { data: Record<string, unknown> & { testimonial: Record<string, unknown> } };
    body.data.type = 'text';
    body.data.id = 'b1f8b3e1-c52d-4cf6-a1a7-0c8e2f6d9a10';
    body.data.testimonial = {
      text: 'Setting this up took <em>five minutes</em>.',
      rating: 5,
      sent_by: { name: 'Ana María López', email: 'ana@example.com', avatar: 'https://cdn.example.com/ana.jpg' },
    };
    const event = normalizeRow({ id: 'tt-1', integration_type: 'testimonialto', event_data: body });
    expect(event.normalized).toMatchObject({
      'template.event_kind': 'testimonial',
      'template.customer_name': 'Ana L.',
      'template.rating': 5,
      'template.rating_max': 5,
      'template.review_text': 'Setting this up took five minutes.',
      'template.avatar_url': 'https://cdn.example.com/ana.jpg',
      'meta.source_object_id': 'b1f8b3e1-c52d-4cf6-a1a7-0c8e2f6d9a10',
      'meta.missing': '',
    });
    expect(event.normalized['template.media_url']).toBeUndefined();
  });

  it('an event other than create is custom; an email as the name is no name', () => {
    const body = loadPayload(FILE) as { type: string; data: { testimonial: { sent_by: { name: string } } } };
    body.type = 'delete';
    body.data.testimonial.sent_by.name = 'john@example.com';
    const event = normalizeRow({ id: 'tt-2', integration_type: 'testimonial_to', event_data: body });
    expect(event.provider_event_type).toBe('delete');
    expect(event.normalized['template.event_kind']).toBe('custom');
    expect(event.normalized['template.customer_name']).toBeUndefined();
    expect(event.normalized['meta.is_anonymous']).toBe(true);
  });
});
