"""Match: a proposal (route, vacature, invaller, coach) for staff to review, with score and reasons."""
