"""Payment providers behind one interface (`base.PaymentProvider`): Stripe and Telegram
Stars today; CCBill, Segpay or Verotel would be one more module here, no flow changes."""
