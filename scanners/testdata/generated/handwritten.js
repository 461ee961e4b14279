// Shop front: renders the basket and talks to the API.
'use strict';

const API = '/api/v1';

/**
 * Fetches the basket of the signed-in user.
 * @param {string} token
 */
async function basket(token) {
  const res = await fetch(`${API}/basket`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!res.ok) {
    throw new Error(`basket: ${res.status}`);
  }
  return res.json();
}

function render(el, items) {
  el.innerHTML = '';
  for (const item of items) {
    const li = document.createElement('li');
    li.textContent = `${item.name} × ${item.quantity}`;
    el.appendChild(li);
  }
}

function total(items) {
  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

function formatPrice(cents, currency) {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
}

document.addEventListener('DOMContentLoaded', async () => {
  const el = document.querySelector('#basket');
  const items = await basket(localStorage.getItem('token'));
  render(el, items);
  document.querySelector('#total').textContent = formatPrice(total(items), 'EUR');
});

module.exports = { basket, render, total, formatPrice };
