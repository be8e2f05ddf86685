"""督查问责: matters, decisions and their 第八条 life cycle (appeal, exemption, revocation)."""
