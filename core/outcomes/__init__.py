"""How posts did: outcome checks at 1 h, 6 h and 24 h, removals, account health.

A live post gets three check rows in the same transaction that marks it posted
(`schedule.plan_checks`); the `OutcomeWorker` claims due checks like the posting engine
claims targets, spends the shared Reddit request budget, stores what it read and, the
first time a post is seen removed, writes the creator's notice to the outbox.
"""
