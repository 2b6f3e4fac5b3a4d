/** @module Where a code goes and how CodeDeliveryDetails masks it (spec §7.1). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseDeliveryTarget, codeDeliveryDetails } from './delivery-details.ts';

test('SMS wins when both attributes are auto-verified and present; otherwise the one present', () => {
  const both = { email: 'a@b.c', phone_number: '+15555550100' };
  assert.equal(chooseDeliveryTarget(['email', 'phone_number'], both)?.attribute, 'phone_number');
  assert.equal(chooseDeliveryTarget(['email', 'phone_number'], { email: 'a@b.c' })?.attribute, 'email');
  assert.equal(chooseDeliveryTarget(['email'], both)?.attribute, 'email');
  assert.equal(chooseDeliveryTarget([], both), undefined);
  assert.equal(chooseDeliveryTarget(['phone_number'], { email: 'a@b.c' }), undefined);
});

test('masks: first characters of local part and domain for email, last four digits for phones', () => {
  assert.deepEqual(codeDeliveryDetails({ attribute: 'email', medium: 'EMAIL', destination: 'sam@gmail.com' }), {
    AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: 's***@g***',
  });
  assert.deepEqual(codeDeliveryDetails({ attribute: 'phone_number', medium: 'SMS', destination: '+12065554114' }), {
    AttributeName: 'phone_number', DeliveryMedium: 'SMS', Destination: '+*******4114',
  });
});
