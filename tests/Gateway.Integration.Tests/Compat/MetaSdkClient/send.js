'use strict';
// Test client: Meta's official Node SDK (ServerEvent / EventRequest.execute()) with its Graph base URL pointed
// at the gateway's drop-in endpoint. Args: <graph base> <gateway server key> <pixel id> <event id>.
// Prints the SDK's EventResponse as JSON; exits 1 with the SDK's error otherwise.
const bizSdk = require('facebook-nodejs-business-sdk');
const { FacebookAdsApi, ServerEvent, EventRequest, UserData, CustomData, Content } = bizSdk;
const [base, token, pixelId, eventId] = process.argv.slice(2);

// The SDK reads its host from a static getter; a drop-in means only that changes.
Object.defineProperty(FacebookAdsApi, 'GRAPH', { get: () => base, configurable: true });
FacebookAdsApi.init(token);

const userData = new UserData()
  .setEmails(['Jane.Doe@Example.com'])
  .setPhones(['+1 (415) 555-0123'])
  .setClientIpAddress('203.0.113.7')
  .setClientUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120 Safari/537.36')
  .setFbp('fb.1.1763683000000.123456789');
const customData = new CustomData()
  .setCurrency('EUR')
  .setValue(49.9)
  .setOrderId('order-' + eventId)
  .setContents([new Content().setId('sku-1').setQuantity(1).setItemPrice(49.9)]);
const event = new ServerEvent()
  .setEventName('Purchase')
  .setEventTime(Math.floor(Date.now() / 1000))
  .setEventId(eventId)
  .setUserData(userData)
  .setCustomData(customData)
  .setEventSourceUrl('https://shop.example/checkout/done')
  .setActionSource('website');

new EventRequest(token, pixelId).setEvents([event]).execute().then(
  (response) => {
    process.stdout.write(JSON.stringify({ events_received: response.events_received, fbtrace_id: response.fbtrace_id, messages: response.messages }));
  },
  (error) => {
    process.stderr.write(String(error && error.message) + ' ' + JSON.stringify(error && error.response));
    process.exit(1);
  });
