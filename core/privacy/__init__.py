"""Data rights (issue 15.7): a person can take all their data with them (`export`) and
delete their account (`deletion`: soft at once, purged after a grace period by `purge`,
their Reddit tokens revoked), from chat or web alike."""
