// The program behind checkout-service.cpuprofile (the walkthrough's sample profile): a made-up
// checkout that prices carts, where one function, applyDiscounts, does far more work than it
// should. Profiled with: node --cpu-prof --cpu-prof-name=checkout-service.cpuprofile checkout-service.js
'use strict';

function makeCart(n, seed) {
  const items = [];
  for (let i = 0; i < n; i++)
    items.push({ sku: `sku-${(seed * 31 + i) % 997}`, price: ((seed + i) % 50) + 1, qty: (i % 3) + 1 });
  return items;
}

// The hotspot: re-scans every rule for every item, and every rule re-parses its own text.
function applyDiscounts(items, rules) {
  let total = 0;
  for (const item of items) {
    let price = item.price;
    for (const rule of rules) {
      const [prefix, pct] = rule.split(':');
      if (item.sku.startsWith(prefix)) price *= 1 - Number(pct) / 100;
    }
    total += price * item.qty;
  }
  return total;
}

function tax(amount) {
  return Math.round(amount * 0.2 * 100) / 100;
}

function serialize(order) {
  return JSON.stringify(order, null, 2);
}

function checkout(seed, rules) {
  const items = makeCart(200, seed);
  const subtotal = applyDiscounts(items, rules);
  return serialize({ seed, subtotal, tax: tax(subtotal), items });
}

const rules = Array.from({ length: 400 }, (_, i) => `sku-${i}:${(i % 20) + 1}`);
let bytes = 0;
const until = Date.now() + 2000;
for (let seed = 0; Date.now() < until; seed++) bytes += checkout(seed, rules).length;
console.log(`priced carts, ${bytes} bytes of orders`);
