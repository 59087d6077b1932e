namespace TiBillet.Grains.Common; public static class Placeholder {}
