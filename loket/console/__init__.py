"""Console: the loket staff's pages — review queue, candidates, handoff inbox, vacatures, invallers,
dashboard, audit log — with their imports, exports and the follow-up reminder job."""
