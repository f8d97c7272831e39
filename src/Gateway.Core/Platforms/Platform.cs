namespace Gateway.Core.Platforms;

public enum Platform { TikTok, Meta }
