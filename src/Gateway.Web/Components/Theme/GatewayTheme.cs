using MudBlazor;

namespace Gateway.Web.Components.Theme;

/// <summary>The product's one theme: indigo brand, slate neutrals, Inter-like system type; light and dark palettes.</summary>
public static class GatewayTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4f46e5",
            Secondary = "#0e7490",
            Tertiary = "#7c3aed",
            Info = "#2563eb",
            Success = "#15803d",
            Warning = "#b45309",
            Error = "#b91c1c",
            AppbarBackground = "#1e1b4b",
            AppbarText = "#f8fafc",
            Background = "#f5f7fb",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            DrawerText = "#334155",
            DrawerIcon = "#4f46e5",
            TextPrimary = "#0f172a",
            TextSecondary = "#475569",
            LinesDefault = "#e2e8f0",
            TableLines = "#e2e8f0",
            Divider = "#e2e8f0",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#818cf8",
            Secondary = "#22d3ee",
            Tertiary = "#a78bfa",
            Info = "#60a5fa",
            Success = "#4ade80",
            Warning = "#fbbf24",
            Error = "#f87171",
            AppbarBackground = "#111827",
            AppbarText = "#e5e7eb",
            Background = "#0b1120",
            Surface = "#151e2e",
            DrawerBackground = "#111827",
            DrawerText = "#cbd5e1",
            DrawerIcon = "#818cf8",
            TextPrimary = "#e5e7eb",
            TextSecondary = "#94a3b8",
            LinesDefault = "#273449",
            TableLines = "#273449",
            Divider = "#273449",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["Inter", "Segoe UI", "system-ui", "-apple-system", "Roboto", "sans-serif"] },
            H4 = new H4Typography { FontSize = "1.75rem", FontWeight = "600", LineHeight = "1.3" },
            H5 = new H5Typography { FontSize = "1.5rem", FontWeight = "600" },
            H6 = new H6Typography { FontSize = "1.05rem", FontWeight = "600" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px", DrawerWidthLeft = "232px" },
    };
}
